using System.ComponentModel;
using System.Text;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Site;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Site;

public sealed class SiteCheckSettings : CommandSettings
{
    [CommandOption("--site <DIR>")]
    [Description("The site's folder. Defaults to keyless.json's site.source, else site.")]
    public string? Site { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The project config, for its site folders. Defaults to $KEYLESS_CONFIG, else the nearest keyless.json up to the repository root.")]
    public string? Config { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text, json, junit (for artifacts:reports:junit) or codequality (GitLab Code Quality, for artifacts:reports:codequality).")]
    [DefaultValue(SiteCheckFormat.Text)]
    public SiteCheckFormat Format { get; init; } = SiteCheckFormat.Text;

    [CommandOption("--output <FILE>")]
    [Description("Write the report in --format to FILE, and the text report to the console.")]
    public string? Output { get; init; }
}

/// <summary><c>keyless site check</c>: the pipeline's validate stage for the site.</summary>
public sealed class SiteCheckCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : Command<SiteCheckSettings>
{
    public override int Execute(CommandContext context, SiteCheckSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check(settings.Output, "--output", services.WorkingFolder);
        var folder = SiteFolders.Source(settings.Site, services.Config(settings.Config)?.Site);
        var report = SiteChecker.Check(folder, services.Files);
        var label = SiteFolders.Label(folder);

        if (settings.Output is { } file)
        {
            WriteReport(services.FullPath(file), file, settings.Format, report, label);
            SiteCheckText.Write(console, report, label);
            diagnostics.Note($"{settings.Format.ToString().ToLowerInvariant()} report written to {file}");
        }
        else
        {
            switch (settings.Format)
            {
                case SiteCheckFormat.Json:
                    JsonOutput.Write(console, SiteCheckReports.Json(report, label));
                    break;
                case SiteCheckFormat.CodeQuality:
                    JsonOutput.Write(console, SiteCheckReports.CodeQuality(report, label));
                    break;
                case SiteCheckFormat.JUnit:
                    console.Profile.Out.Writer.Write(SiteCheckReports.JUnit(report, label));
                    break;
                default:
                    SiteCheckText.Write(console, report, label);
                    break;
            }
        }

        return report.HasErrors ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static void WriteReport(string full, string file, SiteCheckFormat format, SiteCheckReport report, string label)
    {
        var text = format switch
        {
            SiteCheckFormat.Json => System.Text.Json.JsonSerializer.Serialize(SiteCheckReports.Json(report, label), JsonOutput.Options) + "\n",
            SiteCheckFormat.CodeQuality => System.Text.Json.JsonSerializer.Serialize(SiteCheckReports.CodeQuality(report, label), JsonOutput.Options) + "\n",
            SiteCheckFormat.JUnit => SiteCheckReports.JUnit(report, label),
            _ => SiteCheckText.Plain(report, label),
        };
        try
        {
            var directory = Path.GetDirectoryName(full);
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            File.WriteAllText(full, text, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw KeylessException.Input($"--output {file}: cannot be written ({e.Message}).");
        }
    }
}
