using System.ComponentModel;
using Keyless.Cli.Rendering;
using Keyless.Core;
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
public sealed class PruneCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : BucketCommand<PruneSettings>(console, diagnostics, services)
{
    public override async Task<int> ExecuteAsync(CommandContext context, PruneSettings settings, CancellationToken cancellationToken)
    {
        var target = settings.Target(settings.LoadConfig(Services), Services);
        var report = Report(settings);
        var plan = await report.RunAsync(observer => Deployer.PruneAsync(target, settings.Retain, settings.DryRun, observer, cancellationToken));
        report.WritePrune(plan, settings.DryRun);
        return ExitCodes.Success;
    }
}
