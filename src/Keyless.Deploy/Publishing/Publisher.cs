using System.Collections.Concurrent;
using Keyless.Core;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Publishing;

/// <summary>Told how a publication goes; called from several threads at once.</summary>
public interface IPublishObserver
{
    /// <summary>The plan, worked out and about to be published.</summary>
    void Planned(DeployPlan plan);

    void PhaseStarting(PublishPhase phase, IReadOnlyList<StoreOperation> operations);

    void Completed(StoreOperation operation);

    void PhaseCompleted(PublishPhase phase);
}

/// <summary>
/// Runs a plan's operations phase by phase (<see cref="PublishPhase"/>), each phase's operations
/// <c>concurrency</c> at a time, and the next phase only once all of them succeeded. If anything fails, the
/// phases after it never run: the pointer keeps naming the live release and nothing is deleted; entry points
/// this run had already switched are copied back from the live release's content copies.
/// </summary>
public sealed class Publisher(IObjectStore store, int concurrency = Publisher.DefaultConcurrency, IPublishObserver? observer = null, WrittenVersions? written = null)
{
    private readonly WrittenVersions _written = written ?? new();

    /// <summary>
    /// Every request waits a round trip on a real network, so the default keeps many under way: with 20 ms added
    /// per request, the deploy benchmark's raw PutObject loop took 1.5× as long at 8 at a time as at 32 (2.1× as at 64),
    /// and S3 takes thousands of writes a second per prefix. On 503 SlowDown the S3 client lets fewer through
    /// (<see cref="RequestWindow"/>) and the SDK retries with backoff; its connection pool has room for 64.
    /// </summary>
    public const int DefaultConcurrency = 32;
    public const int MaxConcurrency = 64;

    public async Task PublishAsync(DeployPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (concurrency is < 1 or > MaxConcurrency)
        {
            throw KeylessException.Input($"--concurrency {concurrency}: expected 1 to {MaxConcurrency} requests at a time (default {DefaultConcurrency}).");
        }

        // Entry points whose copy was started: they may be live, so a failure puts them back.
        var switched = new ConcurrentBag<string>();
        foreach (var phase in plan.Operations.GroupBy(o => o.Phase).OrderBy(g => g.Key))
        {
            // Largest first: the phase then ends on small requests, not one big upload while the others idle.
            var operations = phase.OrderByDescending(o => o.Bytes).ToList();
            observer?.PhaseStarting(phase.Key, operations);
            try
            {
                await RunAsync(operations, switched, cancellationToken);
            }
            catch (Exception e) when (e is KeylessException or PreconditionFailedException)
            {
                if (phase.Key != PublishPhase.Pointer || !await LandedAsync(operations, cancellationToken))
                {
                    throw await FailureAsync(plan, phase.Key, e, switched);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !switched.IsEmpty)
            {
                // Interrupted while pages switched: put the live release's back before giving up.
                await RevertAsync(plan, switched, plan.Previous ?? "");
                throw;
            }

            observer?.PhaseCompleted(phase.Key);
        }
    }

    /// <summary>
    /// Runs one phase's operations <c>concurrency</c> at a time. After a failure no operation starts, but the
    /// ones under way are awaited, never abandoned: a request given up on may still take effect in S3 later, and
    /// a page copy landing after the pages were put back would leave the new page live under the old pointer.
    /// For the same reason Ctrl-C stops uploads at once but lets a started page copy finish.
    /// </summary>
    private async Task RunAsync(List<StoreOperation> operations, ConcurrentBag<string> switched, CancellationToken cancellationToken)
    {
        var next = -1;
        var errors = new ConcurrentQueue<Exception>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task WorkAsync()
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref next) is var index && index < operations.Count)
            {
                var operation = operations[index];
                var switches = operation.Phase is PublishPhase.Supporting or PublishPhase.Pages;
                if (switches)
                {
                    switched.Add(operation.Key);
                }

                try
                {
                    await ExecuteAsync(operation, switches ? CancellationToken.None : cancellationToken);
                    observer?.Completed(operation);
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                    await stop.CancelAsync();
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, operations.Count)).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));
        cancellationToken.ThrowIfCancellationRequested();
        if ((errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault()) is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
    }

    /// <summary>
    /// Whether a conditional write whose outcome is unknown (its answer lost, or its retry refused because the
    /// first attempt had already landed) did take effect: the object now holds exactly its bytes.
    /// </summary>
    private async Task<bool> LandedAsync(List<StoreOperation> operations, CancellationToken cancellationToken)
    {
        if (operations is not [PutOperation { Request: var put }])
        {
            return false;
        }

        try
        {
            var landed = await store.GetAsync(put.Key, cancellationToken) is { } found
                && string.Equals(found.ETag, put.Md5, StringComparison.OrdinalIgnoreCase);
            if (landed)
            {
                observer?.Completed(operations[0]);
            }

            return landed;
        }
        catch (KeylessException)
        {
            return false;
        }
    }

    private Task ExecuteAsync(StoreOperation operation, CancellationToken cancellationToken) => operation switch
    {
        PutOperation put => PutAsync(put.Request, cancellationToken),
        HashingPutOperation hashing => PutHashedAsync(hashing, cancellationToken),
        RecordOperation record => PutAsync(record.Request(_written), cancellationToken),
        CopyOperation copy => CopyAsync(copy.Request, cancellationToken),
        DeleteOperation delete => store.DeleteAsync(delete.Keys, cancellationToken),
        _ => throw new ArgumentException($"Unknown operation {operation.GetType().Name}.", nameof(operation)),
    };

    private async Task PutAsync(PutRequest request, CancellationToken cancellationToken) =>
        _written.Add(request.Key, await store.PutAsync(request, cancellationToken));

    private async Task CopyAsync(CopyRequest request, CancellationToken cancellationToken) =>
        _written.Add(request.Key, await store.CopyAsync(request, cancellationToken));

    private async Task PutHashedAsync(HashingPutOperation operation, CancellationToken cancellationToken)
    {
        var request = new PutRequest(operation.Key, operation.Body, operation.Headers, operation.Md5(cancellationToken));
        await PutAsync(request, cancellationToken);
        operation.Sent(request);
    }

    private async Task<KeylessException> FailureAsync(DeployPlan plan, PublishPhase phase, Exception error, ConcurrentBag<string> switched)
    {
        var what = plan.Kind switch
        {
            PlanKind.Rollback => $"Rollback of {plan.Layout} to release {plan.Release}",
            PlanKind.Prune => $"Prune of {plan.Layout}",
            _ => $"Deploy of release {plan.Release} to {plan.Layout}",
        };
        var live = plan.Previous is { } previous ? $"release {previous}" : "no release (this was the first deploy)";
        if (error is PreconditionFailedException)
        {
            return new KeylessException(FailureKind.Failed,
                $"{what} stopped before publishing: another deploy changed {plan.Layout.PointerKey} while this one ran, so this one did not overwrite it and deleted nothing. " +
                "Its pages may have replaced the other deploy's: run keyless releases to see what is live, then deploy again or roll back. In GitLab, give deploy jobs a resource_group so they never overlap.");
        }

        var cause = error.Message;
        var kind = error is KeylessException keyless ? keyless.Kind : FailureKind.Failed;
        string state;
        if (phase == PublishPhase.Cleanup)
        {
            state = $"Release {plan.Release} is live and recorded; only removing files no retained release needs failed. Run keyless prune once the cause is fixed.";
        }
        else if (switched.IsEmpty)
        {
            state = $"Visitors still get {live}: no page changed, the release pointer is unchanged and nothing was deleted. Fix the cause and run it again; what was uploaded is not uploaded again.";
        }
        else
        {
            state = await RevertAsync(plan, switched, live);
        }

        return new KeylessException(kind, $"{what} failed in the {phase.ToString().ToLowerInvariant()} step: {cause}\n{state}");
    }

    private async Task<string> RevertAsync(DeployPlan plan, ConcurrentBag<string> switched, string live)
    {
        var keys = switched.Distinct(StringComparer.Ordinal).ToList();
        var reverts = keys.Select(k => plan.Reverts.GetValueOrDefault(k)).OfType<CopyRequest>().ToList();
        var failures = new ConcurrentBag<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await Parallel.ForEachAsync(reverts, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = limit.Token }, async (revert, token) =>
            {
                try
                {
                    await store.CopyAsync(revert, token);
                }
                catch (KeylessException e)
                {
                    failures.Add($"{revert.Key}: {e.Message}");
                }
            });
        }
        catch (OperationCanceledException)
        {
            failures.Add("putting the pages back took longer than two minutes");
        }

        if (failures.IsEmpty && reverts.Count == 0)
        {
            // Only entry points the live release does not have (or no release was live): nothing to put back.
            return plan.Previous is null
                ? $"{keys.Count} entry points of this first release were published; the release pointer was not written and nothing was deleted. Fix the cause and run it again to finish it."
                : $"Only entry points new in this release had been published ({keys.Count}; no page of {live} links to them), so visitors still get {live}. The release pointer is unchanged and nothing was deleted.";
        }

        var restored = reverts.Count - failures.Count;
        var added = keys.Count - reverts.Count;
        var addedText = added > 0 ? $" {added} new entry points of this release stay (no page of {live} links to them)." : "";
        return failures.IsEmpty
            ? $"{restored} entry points had already switched; they were copied back, so visitors get {live} again. The release pointer is unchanged and nothing was deleted.{addedText}"
            : $"{keys.Count} entry points had already switched and {failures.Count} could not be put back ({failures.First()}). The release pointer still names {live}: run keyless rollback --to {plan.Previous ?? "RELEASE"} to republish it. Nothing was deleted.";
    }
}
