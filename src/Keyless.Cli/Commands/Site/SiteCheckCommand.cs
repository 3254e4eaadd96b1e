using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Site;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Site;

public sealed class SiteCheckSettings : CheckReportSettings
{
    [CommandOption("--site <DIR>")]
    [Description("The site's folder. Defaults to keyless.json's site.source, else site.")]
    public string? Site { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The project config, for its site folders. Defaults to $KEYLESS_CONFIG, else the nearest keyless.json up to the repository root.")]
    public string? Config { get; init; }
}

/// <summary><c>keyless site check</c>: the pipeline's validate stage for the site.</summary>
public sealed class SiteCheckCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : Command<SiteCheckSettings>
{
    public override int Execute(CommandContext context, SiteCheckSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check(settings.Output, "--output", services.WorkingFolder);
        var folder = SiteFolders.Source(settings.Site, services.Config(settings.Config)?.Site);
        var report = SiteChecker.Check(folder, services.Files);

        new SiteCheckReportWriter(report, SiteFolders.Label(folder)).Write(console, diagnostics, settings, services.WorkingFolder);
        return report.HasErrors ? ExitCodes.Failed : ExitCodes.Success;
    }
}
