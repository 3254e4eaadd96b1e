using Keyless.Cli.Rendering;
using Keyless.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Deploy;

/// <summary><c>keyless releases</c>: the releases in the bucket, newest first.</summary>
public sealed class ReleasesCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : BucketCommand<RetainSettings>(console, diagnostics, services)
{
    public override async Task<int> ExecuteAsync(CommandContext context, RetainSettings settings, CancellationToken cancellationToken)
    {
        var target = settings.Target(settings.LoadConfig(Services), Services);
        var releases = await Deployer.ReleasesAsync(target, settings.Retain, cancellationToken);
        Report(settings).WriteReleases(target, releases);
        return ExitCodes.Success;
    }
}
