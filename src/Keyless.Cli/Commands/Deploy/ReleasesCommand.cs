using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Deploy;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Deploy;

/// <summary><c>keyless releases</c>: the releases in the bucket, newest first.</summary>
public sealed class ReleasesCommand(IAnsiConsole console, KeylessServices services) : AsyncCommand<RetainSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RetainSettings settings, CancellationToken cancellationToken)
    {
        var target = settings.Target(settings.LoadConfig(services), services);
        var releases = await new SiteDeployer(services.DeployConnector, services.Time, services.Http).ReleasesAsync(target, settings.Retain, cancellationToken);
        if (settings.Format == OutputFormat.Json)
        {
            JsonOutput.Write(console, DeployJson.Releases(target, releases));
        }
        else
        {
            DeployText.WriteReleases(console, target, releases);
        }

        return ExitCodes.Success;
    }
}
