using System.Collections.Concurrent;
using Keyless.Core;
using Keyless.Deploy.Aws;
using Keyless.Deploy.CloudFront;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Releases;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy;

/// <summary>A deploy as the command line asks for it; <see cref="Site"/> is relative to <see cref="Files"/>' working folder.</summary>
public sealed record DeployRequest(string Site, InputFiles Files, DeployOptions Options)
{
    public CacheControlPolicy CacheControl { get; init; } = CacheControlPolicy.Default;

    public bool DryRun { get; init; }

    public int Concurrency { get; init; } = Publisher.DefaultConcurrency;

    public bool Wait { get; init; }

    public Uri? VerifyUrl { get; init; }
}

/// <summary>A rollback as the command line asks for it; <see cref="To"/> null means the release before the live one.</summary>
public sealed record RollbackRequest(string? To)
{
    public bool DryRun { get; init; }

    public int Concurrency { get; init; } = Publisher.DefaultConcurrency;

    public bool Wait { get; init; }
}

/// <summary>What a deploy or rollback did (or, in a dry run, would do).</summary>
public sealed record DeployOutcome(DeployPlan Plan, bool DryRun, string Identity)
{
    public Invalidation? Invalidation { get; init; }

    public UrlCheck? Verification { get; init; }
}

/// <summary>One release in the bucket, for <c>keyless releases</c>.</summary>
public sealed record ReleaseSummary(string Release, DateTimeOffset CreatedAt, int Files, long Bytes, bool Current, bool Retained, bool Restorable)
{
    public string? Commit { get; init; }

    /// <summary>When it was last made live, if it ever was.</summary>
    public DateTimeOffset? PublishedAt { get; init; }
}

/// <summary>
/// The four things keyless does to a bucket — deploy, rollback, list releases, prune — each as: read the state,
/// plan, publish, invalidate. A missing or empty site folder is found before anything is contacted; the files
/// are hashed while the bucket's state is read.
/// </summary>
public sealed class SiteDeployer(IDeployConnector connector, TimeProvider time, HttpClient http)
{
    public static readonly TimeSpan InvalidationTimeout = TimeSpan.FromMinutes(15);

    public VerifyPolicy Verify { get; init; } = VerifyPolicy.Default;

    public async Task<DeployOutcome> DeployAsync(DeployTarget target, DeployRequest request, IPublishObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        Planner.CheckRetain(request.Options.Retain);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (identified, connection, read) = await IdentifyAndReadAsync(target, request, stop.Token);
        using var _ = connection;
        // Requests the plan then leaves out: made early, while the site was hashed or the bucket listed.
        var sent = new ConcurrentDictionary<string, PutRequest>(StringComparer.Ordinal);
        // The version ID of every object written, early uploads included: the release record names them.
        var written = new WrittenVersions();
        SiteManifest site;
        RemoteState remote;
        try
        {
            var releases = await read.Releases;
            var known = KnownMd5s.From(releases.Records.Values.SelectMany(r => r.Files));
            if (request.DryRun)
            {
                site = await identified.CompleteAsync(known, stop.Token);
                remote = await read.State;
            }
            else if (releases.Pointer is null)
            {
                remote = await read.State;
                site = await StageFirstDeployAsync(identified, remote, request, new Publisher(connection.Store, request.Concurrency, observer, written), sent, stop);
            }
            else
            {
                site = await identified.CompleteAsync(known, stop.Token);
                remote = await StageWhileListingAsync(site, target.Layout, releases, read.State, request, new Publisher(connection.Store, request.Concurrency, observer, written), sent, stop);
            }
        }
        catch
        {
            await stop.CancelAsync();
            await Observe(read.State);
            throw;
        }

        var plan = Planner.ForDeploy(site, remote, request.Options);
        if (request.DryRun)
        {
            return new DeployOutcome(plan, true, connection.Identity);
        }

        plan = plan with { Operations = [.. plan.Operations.Where(o => !(o is PutOperation put && sent.TryGetValue(put.Key, out var done) && done == put.Request))] };
        observer?.Planned(plan);
        await new Publisher(connection.Store, request.Concurrency, observer, written).PublishAsync(plan, cancellationToken);
        var invalidation = await InvalidateAsync(connection, target, plan, request.Wait, cancellationToken);
        var verification = request.VerifyUrl is { } url
            ? await UrlVerifier.VerifyAsync(http, url, site.Files, plan.Release, time, Verify, cancellationToken)
            : null;
        return new DeployOutcome(plan, false, connection.Identity) { Invalidation = invalidation, Verification = verification };
    }

    /// <summary>
    /// The site folder is checked first (nothing is contacted for a missing or empty one); its files are then
    /// read and identified by SHA-256 while the bucket's state is read, the two being independent. Returns once
    /// both the files and the releases (pointer and records) are known; the listing may still be under way.
    /// </summary>
    private async Task<(SiteManifest.IdentifiedSite Site, DeployConnection Connection, RemoteRead Read)> IdentifyAndReadAsync(DeployTarget target, DeployRequest request, CancellationToken cancellationToken)
    {
        var listing = SiteManifest.List(request.Site, request.Files, request.CacheControl);
        using var hashing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scan = listing.IdentifyAsync(hashing.Token);
        DeployConnection? connection = null;
        RemoteRead? read = null;
        try
        {
            connection = await connector.ConnectAsync(target, cancellationToken);
            read = new ReleaseStore(connection.Store, target.Layout).Start(request.Options.Retain, [], cancellationToken);
            await read.Releases;
            return (await scan, connection, read);
        }
        catch
        {
            await hashing.CancelAsync();
            await Observe(scan);
            if (read is not null)
            {
                await Observe(read.State);
            }

            connection?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A first deploy, where nothing is live and no page can reference anything yet (and no record is read, so
    /// no MD5 is known): the fingerprinted assets not in the bucket are uploaded while the rest of the site is
    /// hashed, each read for its MD5 right before its PUT, instead of after the whole site was hashed. The
    /// plan's entry points and pages still follow only once all of them are in; <paramref name="sent"/> gets
    /// each upload, so the plan leaves them out.
    /// </summary>
    private static async Task<SiteManifest> StageFirstDeployAsync(
        SiteManifest.IdentifiedSite site,
        RemoteState remote,
        DeployRequest request,
        Publisher publisher,
        ConcurrentDictionary<string, PutRequest> sent,
        CancellationTokenSource stop)
    {
        var layout = remote.Layout;
        var early = site.Files
            .Where(f => site.Publication(f).Kind == FileKind.Fingerprinted && remote.Object(layout.SiteKey(f.Path)) is null)
            .ToList();
        List<StoreOperation> uploads = [.. early.Select(f => new HashingPutOperation(
            PublishPhase.Stage,
            layout.SiteKey(f.Path),
            new FileBody(f.Full, f.Size),
            site.Publication(f).Headers,
            token => site.Md5(f, token),
            put => sent[put.Key] = put))];
        var stage = new DeployPlan(PlanKind.Deploy, layout, request.Options.Release, Previous: null, [], [], [], uploads);

        var uploading = publisher.PublishAsync(stage, stop.Token);
        var hashing = site.Md5sAsync([.. site.Files.Except(early)], stop.Token);
        await FirstFailureStopsAllAsync(stop, uploading, hashing);
        var uploaded = KnownMd5s.Of(early.Select(f => (f.Sha256, f.Size, sent[layout.SiteKey(f.Path)].Md5)));
        return await site.CompleteAsync((await hashing).With(uploaded), stop.Token);
    }

    /// <summary>
    /// A deploy over a live release: the stage step's uploads that do not depend on the listing
    /// (<see cref="Planner.EarlyUploads"/>) run while the bucket is listed, which on a large site takes many
    /// sequential requests. Nothing a visitor loads changes; <paramref name="sent"/> gets each upload.
    /// </summary>
    private static async Task<RemoteState> StageWhileListingAsync(
        SiteManifest site,
        BucketLayout layout,
        KnownReleases releases,
        Task<RemoteState> listing,
        DeployRequest request,
        Publisher publisher,
        ConcurrentDictionary<string, PutRequest> sent,
        CancellationTokenSource stop)
    {
        var uploads = Planner.EarlyUploads(site, layout, releases);
        if (uploads.Count == 0)
        {
            return await listing;
        }

        var stage = new DeployPlan(PlanKind.Deploy, layout, request.Options.Release, releases.Pointer?.Release, [], [], [], [.. uploads]);
        await FirstFailureStopsAllAsync(stop, publisher.PublishAsync(stage, stop.Token), listing);
        foreach (var upload in uploads)
        {
            sent[upload.Key] = upload.Request;
        }

        return await listing;
    }

    /// <summary>Awaits every task; the first to fail cancels the others, which are awaited too, and its error is the one thrown.</summary>
    private static async Task FirstFailureStopsAllAsync(CancellationTokenSource stop, params Task[] tasks)
    {
        var pending = tasks.ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            if (!done.IsCompletedSuccessfully)
            {
                await stop.CancelAsync();
                foreach (var other in pending)
                {
                    await Observe(other);
                }

                await done;
            }
        }
    }

    private static async Task Observe(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or KeylessException)
        {
            // The first failure is the one reported.
        }
    }

    public async Task<DeployOutcome> RollbackAsync(DeployTarget target, RollbackRequest request, IPublishObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(request);
        if (request.To is { } to)
        {
            ReleaseId.Check(to, "--to");
        }

        using var connection = await connector.ConnectAsync(target, cancellationToken);
        var remote = await new ReleaseStore(connection.Store, target.Layout).LoadAsync(Planner.DefaultRetain, request.To is { } wanted ? [wanted] : [], cancellationToken);
        var plan = Planner.ForRollback(remote, request.To, time.GetUtcNow());
        if (request.DryRun)
        {
            return new DeployOutcome(plan, true, connection.Identity);
        }

        observer?.Planned(plan);
        await new Publisher(connection.Store, request.Concurrency, observer).PublishAsync(plan, cancellationToken);
        var invalidation = await InvalidateAsync(connection, target, plan, request.Wait, cancellationToken);
        return new DeployOutcome(plan, false, connection.Identity) { Invalidation = invalidation };
    }

    public async Task<IReadOnlyList<ReleaseSummary>> ReleasesAsync(DeployTarget target, int retain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        Planner.CheckRetain(retain);
        using var connection = await connector.ConnectAsync(target, cancellationToken);
        var store = new ReleaseStore(connection.Store, target.Layout);
        var remote = await store.LoadAsync(retain, [], cancellationToken);
        var records = await store.LoadAllRecordsAsync(remote, cancellationToken);
        var retained = remote.Pointer?.Retained(retain) ?? [];
        var history = remote.Pointer?.History ?? [];

        // Most recently published first (the history's order, exact even within a second), then records never published.
        var order = history.Select((p, i) => (p.Release, i)).DistinctBy(p => p.Release).ToDictionary(p => p.Release, p => p.i, StringComparer.Ordinal);
        return [.. records.Values
            .Select(r => new ReleaseSummary(r.Release, r.CreatedAt, r.Files.Count, r.Bytes, r.Release == remote.Pointer?.Release, retained.Contains(r.Release), remote.Holds(r))
            {
                Commit = r.Commit,
                PublishedAt = history.FirstOrDefault(p => p.Release == r.Release)?.At,
            })
            .OrderBy(r => order.GetValueOrDefault(r.Release, int.MaxValue))
            .ThenByDescending(r => r.CreatedAt)
            .ThenBy(r => r.Release, StringComparer.Ordinal)];
    }

    public async Task<DeployPlan> PruneAsync(DeployTarget target, int retain, bool dryRun, IPublishObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        Planner.CheckRetain(retain);
        using var connection = await connector.ConnectAsync(target, cancellationToken);
        var remote = await new ReleaseStore(connection.Store, target.Layout).LoadAsync(retain, [], cancellationToken);
        var plan = Planner.ForPrune(remote, retain);
        if (!dryRun)
        {
            observer?.Planned(plan);
            await new Publisher(connection.Store, Publisher.DefaultConcurrency, observer).PublishAsync(plan, cancellationToken);
        }

        return plan;
    }

    private async Task<Invalidation?> InvalidateAsync(DeployConnection connection, DeployTarget target, DeployPlan plan, bool wait, CancellationToken cancellationToken)
    {
        if (target.Distribution is not { } distribution || connection.Cdn is not { } cdn || plan.ChangedEntryPoints.Count == 0)
        {
            return null;
        }

        var paths = CloudFrontInvalidations.PathsFor(plan.ChangedEntryPoints);
        var reference = $"keyless-{plan.Release}-{time.GetUtcNow().ToUnixTimeMilliseconds()}";
        var invalidation = await CloudFrontInvalidations.InvalidateAsync(cdn, distribution, paths, reference, cancellationToken);
        return wait
            ? await CloudFrontInvalidations.WaitAsync(cdn, distribution, invalidation, time, InvalidationTimeout, cancellationToken)
            : invalidation;
    }
}
