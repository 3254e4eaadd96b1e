using Keyless.Cli.Rendering;
using Keyless.Deploy;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Deploy;

/// <summary>
/// What the bucket commands (deploy, rollback, releases, prune) share: one <see cref="SiteDeployer"/> on the
/// services' connector, and one <see cref="DeployReport"/> that shows the run and its result in the chosen --format.
/// </summary>
public abstract class BucketCommand<TSettings>(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : AsyncCommand<TSettings>
    where TSettings : TargetSettings
{
    protected KeylessServices Services => services;

    protected SiteDeployer Deployer => new(services.DeployConnector, services.Time, services.Http);

    protected DeployReport Report(TSettings settings) => new(console, diagnostics, settings.Format, services.InGitLabCi, services.Time);
}
