using Keyless.Cli.Commands;
using Keyless.Deploy;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Publishing;
using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>
/// How a publishing command shows itself: progress bars in a terminal, log lines in GitLab's collapsible
/// sections in CI (and plain log lines when piped), nothing but the JSON with <c>--format json</c>.
/// </summary>
public sealed class DeployReport(IAnsiConsole console, Diagnostics diagnostics, OutputFormat format, bool gitLab, TimeProvider time)
{
    private bool Interactive => console.Profile.Capabilities.Interactive && !gitLab;

    public async Task<T> RunAsync<T>(Func<IPublishObserver?, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (format == OutputFormat.Json)
        {
            return await run(null);
        }

        if (Interactive)
        {
            return await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(context => run(new ProgressObserver(context)));
        }

        return await run(new LogObserver(console, gitLab ? new GitLabSections(console, time) : null));
    }

    public void Write(DeployOutcome outcome, DeployTarget target)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Plan.Note is { } note)
        {
            diagnostics.Warning(note);
        }

        // In a log the plan section already listed every change.
        JsonOutput.WriteResult(console, format, () => DeployJson.Outcome(outcome, target), () => DeployText.WriteOutcome(console, outcome, target, listChanges: Interactive));
    }

    public void WritePrune(DeployPlan plan, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Note is { } note)
        {
            diagnostics.Warning(note);
        }

        JsonOutput.WriteResult(console, format, () => DeployJson.Prune(plan, dryRun), () => DeployText.WritePrune(console, plan, dryRun));
    }

    public void WriteReleases(DeployTarget target, IReadOnlyList<ReleaseSummary> releases) =>
        JsonOutput.WriteResult(console, format, () => DeployJson.Releases(target, releases), () => DeployText.WriteReleases(console, target, releases));

    /// <summary>
    /// A step's title. The stage step shows twice when a deploy starts uploads before its plan is made (while
    /// the site is hashed or the bucket listed): first what it could start early, ahead of the plan.
    /// </summary>
    internal static string Header(PublishPhase phase, IReadOnlyList<StoreOperation> operations, bool aheadOfPlan = false)
    {
        var count = operations.Count;
        var bytes = operations.Sum(o => o.Bytes);
        return phase switch
        {
            PublishPhase.Stage when aheadOfPlan => $"Uploading {count} assets and entry-point copies ahead of the plan ({Sizes.Format(bytes)})",
            PublishPhase.Stage => $"Uploading {count} assets and entry-point copies ({Sizes.Format(bytes)})",
            PublishPhase.Supporting => $"Publishing {count} entry points",
            PublishPhase.Pages => $"Publishing {count} pages",
            PublishPhase.Record => "Recording the release",
            PublishPhase.Pointer => "Switching the release pointer",
            _ => $"Deleting {operations.OfType<DeleteOperation>().Sum(d => d.Keys.Count)} objects no retained release needs",
        };
    }

    internal static string Line(StoreOperation operation) => operation switch
    {
        PutOperation or HashingPutOperation => $"put {operation.Key} ({Sizes.Format(operation.Bytes)})",
        RecordOperation => $"put {operation.Key}",
        CopyOperation { Request.SourceVersionId: { } version } copy => $"copy {copy.Request.SourceKey} (version {version}) → {copy.Key}",
        CopyOperation copy when copy.Request.SourceKey == copy.Key => $"set headers of {copy.Key}",
        CopyOperation copy => $"copy {copy.Request.SourceKey} → {copy.Key}",
        DeleteOperation delete => $"delete {string.Join(", ", delete.Keys.Take(5))}{(delete.Keys.Count > 5 ? $" and {delete.Keys.Count - 5} more" : "")}",
        _ => operation.Key,
    };

    /// <summary>Progress bars, one per phase.</summary>
    private sealed class ProgressObserver(ProgressContext context) : IPublishObserver
    {
        private readonly Dictionary<PublishPhase, ProgressTask> _tasks = [];
        private bool _planned;

        public void Planned(DeployPlan plan)
        {
            lock (_tasks)
            {
                _planned = true;
            }
        }

        public void PhaseStarting(PublishPhase phase, IReadOnlyList<StoreOperation> operations)
        {
            lock (_tasks)
            {
                _tasks[phase] = context.AddTask(Markup.Escape(Header(phase, operations, aheadOfPlan: !_planned)), maxValue: Math.Max(1, operations.Count));
            }
        }

        public void Completed(StoreOperation operation)
        {
            lock (_tasks)
            {
                _tasks[operation.Phase].Increment(1);
            }
        }

        public void PhaseCompleted(PublishPhase phase)
        {
            lock (_tasks)
            {
                _tasks[phase].Value = _tasks[phase].MaxValue;
                _tasks[phase].StopTask();
            }
        }
    }

    /// <summary>Log lines: the plan, then each phase with a line per request, in collapsed sections on GitLab.</summary>
    private sealed class LogObserver(IAnsiConsole console, GitLabSections? sections) : IPublishObserver
    {
        private readonly Lock _lock = new();
        private bool _planned;

        public void Planned(DeployPlan plan)
        {
            lock (_lock)
            {
                _planned = true;
                var header = plan.Kind switch
                {
                    PlanKind.Rollback => $"Plan for the rollback of {plan.Layout} from release {plan.Previous} to {plan.Release}: {plan.Uploaded} files to republish, {plan.Unchanged} unchanged",
                    PlanKind.Prune => $"Plan for pruning {plan.Layout}: {plan.Deleted.Count} objects to delete",
                    _ => $"Plan for release {plan.Release} at {plan.Layout}: {DeployText.Counts(plan, future: true)}",
                };
                Start("keyless_plan", header);
                foreach (var line in DeployText.ChangeLines(plan))
                {
                    console.WriteLine("  " + line);
                }

                End("keyless_plan");
            }
        }

        public void PhaseStarting(PublishPhase phase, IReadOnlyList<StoreOperation> operations)
        {
            lock (_lock)
            {
                Start(Name(phase), Header(phase, operations, aheadOfPlan: !_planned));
            }
        }

        public void Completed(StoreOperation operation)
        {
            lock (_lock)
            {
                console.WriteLine("  " + Line(operation));
            }
        }

        public void PhaseCompleted(PublishPhase phase)
        {
            lock (_lock)
            {
                End(Name(phase));
            }
        }

        // GitLab pairs a section's start and end by name: the uploads ahead of the plan get one of their own.
        private string Name(PublishPhase phase) => "keyless_" + phase.ToString().ToLowerInvariant() + (_planned ? "" : "_ahead");

        private void Start(string name, string header)
        {
            if (sections is null)
            {
                console.WriteLine(header);
            }
            else
            {
                sections.Start(name, header);
            }
        }

        private void End(string name) => sections?.End(name);
    }
}
