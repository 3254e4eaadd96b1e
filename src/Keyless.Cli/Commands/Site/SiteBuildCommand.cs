using System.ComponentModel;
using System.Globalization;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Core.Contracts;
using Keyless.Site;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Site;

public sealed class SiteBuildSettings : CommandSettings
{
    [CommandOption("--site <DIR>")]
    [Description("The site's folder. Defaults to keyless.json's site.source, else site.")]
    public string? Site { get; init; }

    [CommandOption("--out <DIR>")]
    [Description("The output folder, emptied first when it holds a previous build (and refused when it holds anything else). Defaults to keyless.json's site.output, else dist.")]
    public string? Out { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The project config, for its site folders. Defaults to $KEYLESS_CONFIG, else the nearest keyless.json up to the repository root.")]
    public string? Config { get; init; }
}

/// <summary><c>keyless site build</c>: the pipeline's build stage, fingerprinted assets and the build manifest.</summary>
public sealed class SiteBuildCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : Command<SiteBuildSettings>
{
    public override int Execute(CommandContext context, SiteBuildSettings settings, CancellationToken cancellationToken)
    {
        var configured = services.Config(settings.Config)?.Site;
        var source = SiteFolders.Source(settings.Site, configured);
        var output = SiteFolders.Output(settings.Out, configured);
        var result = SiteBuilder.Build(source, output, SiteFolders.Label(source), services.Files);

        foreach (var reference in result.Unresolved)
        {
            diagnostics.Warning($"{reference} names no file of the site; left as written (keyless site check reports it).");
        }

        var bytes = result.Bytes.ToString("N0", CultureInfo.InvariantCulture);
        console.MarkupLine($"Built {Markup.Escape(SiteFolders.Label(source))} → {Markup.Escape(SiteFolders.Label(output))}: {result.Files} file(s), {result.Fingerprinted} fingerprinted, {bytes} bytes; manifest {Markup.Escape(SiteFolders.Display(SiteFolders.Label(output), BuildManifest.FileName))}");
        return ExitCodes.Success;
    }
}
