using System.ComponentModel;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Deploy;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Deploy;

public sealed class RollbackSettings : PublishSettings
{
    [CommandOption("--to <RELEASE>")]
    [Description("The release to republish. Defaults to the one published before the live one.")]
    public string? To { get; init; }
}

/// <summary><c>keyless rollback</c>: republish an earlier release from the bucket, without rebuilding.</summary>
public sealed class RollbackCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : BucketCommand<RollbackSettings>(console, diagnostics, services)
{
    public override async Task<int> ExecuteAsync(CommandContext context, RollbackSettings settings, CancellationToken cancellationToken)
    {
        var target = settings.Target(settings.LoadConfig(Services), Services, settings.Distribution);
        var request = new RollbackRequest(settings.To) { DryRun = settings.DryRun, Concurrency = settings.Concurrency, Wait = settings.Wait };
        var report = Report(settings);
        var outcome = await report.RunAsync(observer => Deployer.RollbackAsync(target, request, observer, cancellationToken));
        report.Write(outcome, target);
        return ExitCodes.Success;
    }
}
