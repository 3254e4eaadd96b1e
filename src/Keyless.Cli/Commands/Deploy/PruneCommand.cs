using System.ComponentModel;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Deploy;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Deploy;

public sealed class PruneSettings : RetainSettings
{
    [CommandOption("--dry-run")]
    [Description("List what would be deleted and delete nothing.")]
    public bool DryRun { get; init; }
}

/// <summary><c>keyless prune</c>: delete what no retained release needs.</summary>
public sealed class PruneCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : AsyncCommand<PruneSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, PruneSettings settings, CancellationToken cancellationToken)
    {
        var target = settings.Target(settings.LoadConfig(services), services);
        var deployer = new SiteDeployer(services.DeployConnector, services.Time, services.Http);
        var report = new DeployReport(console, diagnostics, settings.Format, services.InGitLabCi, services.Time);
        var plan = await report.RunAsync(observer => deployer.PruneAsync(target, settings.Retain, settings.DryRun, observer, cancellationToken));
        report.WritePrune(plan, settings.DryRun);
        return ExitCodes.Success;
    }
}
