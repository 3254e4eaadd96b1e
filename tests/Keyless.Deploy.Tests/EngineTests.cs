using Keyless.Core;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Releases;
using Keyless.Deploy.Storage;
using Keyless.Deploy.Tests.Support;

namespace Keyless.Deploy.Tests;

/// <summary>The planner and the publisher on a bucket in memory: comparison rules, failures, reverts.</summary>
public sealed class EngineTests : IDisposable
{
    private static readonly DeployTarget Target = new(null, new BucketLayout("memory", null), "us-east-1", null, null);

    private readonly MemoryStore _bucket = new();
    private readonly SiteFolder _site = SiteFolder.Typical();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task Should_WriteTheObjectAgain_When_ItsETagIsMultipart()
    {
        // Given a bucket whose index.html holds the same bytes but was uploaded in parts
        var site = await SiteManifest.ScanAsync(_site.Path, _site.Files, CacheControlPolicy.Default);
        var remote = await LoadAsync();
        var deployed = Planner.ForDeploy(site, remote, Options("r1"));
        await new Publisher(_bucket).PublishAsync(deployed);
        var state = await LoadAsync();
        var listing = state.Objects.ToDictionary(o => o.Key, o => o.Value.Key == "index.html" ? o.Value with { ETag = o.Value.ETag[..8] + "-2" } : o.Value);

        // When the same site is planned again
        var plan = Planner.ForDeploy(site, state with { Objects = listing }, Options("r2"));

        // Then only index.html is written again
        Assert.Equal(["index.html"], plan.Files.Where(f => f.Writes).Select(f => f.File.Path));
        Assert.Equal(ChangeKind.Content, plan.Files.Single(f => f.File.Path == "index.html").Change);
    }

    [Fact]
    public async Task Should_LeaveTheLiveSiteAndPointerAlone_When_AnUploadFailsInTheFirstStep()
    {
        // Given release r1 is live
        await DeployAsync("r1");
        var before = _bucket.Objects;

        // When r2 (a new page and a changed page) fails on its second upload
        _site.With("index.html", "<html>Home v2</html>").With("new/index.html", "<html>New</html>");
        var failing = new FailingStore(_bucket) { FailPut = 2 };
        var error = await Assert.ThrowsAsync<KeylessException>(() => DeployAsync("r2", failing));

        // Then visitors still get r1: no page changed, no pointer moved, nothing deleted
        Assert.Contains("failed in the stage step", error.Message, StringComparison.Ordinal);
        Assert.Contains("Visitors still get release r1", error.Message, StringComparison.Ordinal);
        var after = _bucket.Objects;
        Assert.All(before, o => Assert.Equal(o.Value.Content, after[o.Key].Content));
        Assert.Equal("r1", (await LoadAsync()).Pointer!.Release);
    }

    [Fact]
    public async Task Should_CopyThePagesBack_When_PublishingPagesFails()
    {
        // Given release r1 is live
        await DeployAsync("r1");
        var home = _bucket.Objects["index.html"].Content;
        var about = _bucket.Objects["about/index.html"].Content;

        // When r2 changes both pages and the second page copy fails
        _site.With("index.html", "<html>Home v2</html>").With("about/index.html", "<html>About v2</html>");
        var error = await Assert.ThrowsAsync<KeylessException>(() => DeployAsync("r2", new FailingStore(_bucket) { FailCopy = 2 }, concurrency: 1));

        // Then the page that had switched (about/, first in order) is back to r1's bytes and headers, and the pointer still names r1
        Assert.Contains("failed in the pages step", error.Message, StringComparison.Ordinal);
        Assert.Contains("copied back", error.Message, StringComparison.Ordinal);
        Assert.Equal(about, _bucket.Objects["about/index.html"].Content);
        Assert.Equal(home, _bucket.Objects["index.html"].Content);
        Assert.Equal("no-cache", _bucket.Objects["about/index.html"].Headers.CacheControl);
        Assert.Equal("r1", (await LoadAsync()).Pointer!.Release);
    }

    [Fact]
    public async Task Should_NotOverwriteThePointer_When_AnotherDeployMovedItMeanwhile()
    {
        // Given release r1 is live and a plan for r2 was made
        await DeployAsync("r1");
        _site.With("index.html", "<html>Home v2</html>");
        var site = await SiteManifest.ScanAsync(_site.Path, _site.Files, CacheControlPolicy.Default);
        var plan = Planner.ForDeploy(site, await LoadAsync(), Options("r2"));

        // When another deploy publishes r9 before r2 switches the pointer
        var other = Planner.ForDeploy(site, await LoadAsync(), Options("r9"));
        await new Publisher(_bucket).PublishAsync(other);
        var error = await Assert.ThrowsAsync<KeylessException>(() => new Publisher(_bucket).PublishAsync(plan));

        // Then r2 gives up and r9 stays live
        Assert.Contains("another deploy changed", error.Message, StringComparison.Ordinal);
        Assert.Equal("r9", (await LoadAsync()).Pointer!.Release);
    }

    [Fact]
    public async Task Should_RefuseToPrune_When_NothingWasEverDeployed()
    {
        var error = await Assert.ThrowsAsync<KeylessException>(async () => Planner.ForPrune(await LoadAsync(), Planner.DefaultRetain));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains("nothing was deleted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_DoNothing_When_TheLiveReleaseIsDeployedAgainUnchanged()
    {
        await DeployAsync("r1");

        var outcome = await DeployAsync("r1");

        Assert.True(outcome.Plan.ChangesNothing);
        Assert.Equal(6, outcome.Plan.Unchanged);
    }

    [Fact]
    public async Task Should_PutEntryPointsStraightToTheirKeys_When_NothingIsLiveYet_And_CopyThemAsideWhenReplaced()
    {
        // When the first release is deployed
        var first = await DeployAsync("r1");

        // Then its entry points are uploaded once, straight to their keys, after the assets; no content copies
        Assert.DoesNotContain(first.Plan.Operations, o => o.Key.StartsWith(Target.Layout.ContentPrefix, StringComparison.Ordinal));
        Assert.All(first.Plan.Operations.OfType<PutOperation>().Where(o => o.Request.Headers.CacheControl == "no-cache"), o => Assert.True(o.Phase is PublishPhase.Supporting or PublishPhase.Pages));

        // When r2 replaces the home page
        _site.With("index.html", "<html>Home v2</html>");
        var second = await DeployAsync("r2");

        // Then r1's home page is copied to its content copy before anything switches, and r1 can be rolled back to
        var keep = Assert.Single(second.Plan.Operations, o => o is CopyOperation { Phase: PublishPhase.Stage });
        Assert.Equal(("index.html", PublishPhase.Stage), (((CopyOperation)keep).Request.SourceKey, keep.Phase));
        await new SiteDeployer(new StoreConnector(_bucket), TimeProvider.System, new HttpClient()).RollbackAsync(Target, new RollbackRequest("r1"), null, CancellationToken.None);
        Assert.Equal("r1", (await LoadAsync()).Pointer!.Release);
        Assert.Equal("<!doctype html><html><head><link rel=stylesheet href=/assets/app.3f9a1c2b.css></head><body>Home v1</body></html>", System.Text.Encoding.UTF8.GetString(_bucket.Objects["index.html"].Content));
    }

    [Fact]
    public async Task Should_FinishTheDeploy_When_ThePointerWriteLandedButItsAnswerWasLost()
    {
        // Given r1 is live, with an asset r2 drops
        _site.With("assets/old.1234abcd.js", "old");
        await DeployAsync("r1", retain: 1);
        _site.Without("assets/old.1234abcd.js").With("index.html", "<html>Home v2</html>");

        // When S3 takes r2's pointer but the answer never comes back
        var outcome = await DeployAsync("r2", new FailingStore(_bucket) { LoseAnswerOf = Target.Layout.PointerKey }, retain: 1);

        // Then the pointer is recognised as this deploy's own, and the deploy goes on to its cleanup
        Assert.Equal("r2", (await LoadAsync()).Pointer!.Release);
        Assert.Equal(["assets/old.1234abcd.js"], outcome.Plan.DeletedFiles);
        Assert.False(_bucket.Objects.ContainsKey("assets/old.1234abcd.js"));
    }

    [Fact]
    public async Task Should_DeleteWhatAnInterruptedCleanupLeft_When_TheLiveReleaseIsDeployedAgain()
    {
        // Given r2 went live over r1 but its cleanup failed
        _site.With("assets/old.1234abcd.js", "old");
        await DeployAsync("r1", retain: 1);
        _site.Without("assets/old.1234abcd.js");
        var error = await Assert.ThrowsAsync<KeylessException>(() => DeployAsync("r2", new FailingStore(_bucket) { FailDelete = true }, retain: 1));
        Assert.Contains("failed in the cleanup step", error.Message, StringComparison.Ordinal);
        var pointer = _bucket.Objects[Target.Layout.PointerKey].Content;

        // When the same release is deployed again
        var outcome = await DeployAsync("r2", retain: 1);

        // Then only the leftovers are deleted; the pointer is not written again
        Assert.Equal(["assets/old.1234abcd.js"], outcome.Plan.DeletedFiles);
        Assert.False(_bucket.Objects.ContainsKey("assets/old.1234abcd.js"));
        Assert.Equal(pointer, _bucket.Objects[Target.Layout.PointerKey].Content);
        Assert.All(outcome.Plan.Operations, o => Assert.IsType<DeleteOperation>(o));
    }

    [Fact]
    public async Task Should_PutPagesBackOnlyAfterCopiesUnderWayLanded_When_APageCopyFails()
    {
        // Given r1 is live
        await DeployAsync("r1");
        var home = _bucket.Objects["index.html"].Content;
        var about = _bucket.Objects["about/index.html"].Content;

        // When r2's first page copy fails while the other one is still on its way to S3
        _site.With("index.html", "<html>Home v2</html>").With("about/index.html", "<html>About v2</html>");
        var error = await Assert.ThrowsAsync<KeylessException>(() => DeployAsync("r2", new FailingStore(_bucket) { FailCopy = 1, SlowCopies = TimeSpan.FromMilliseconds(300) }));
        await Task.Delay(400);

        // Then the slow copy was awaited, not abandoned to land after the pages were put back
        Assert.Contains("copied back", error.Message, StringComparison.Ordinal);
        Assert.Equal(home, _bucket.Objects["index.html"].Content);
        Assert.Equal(about, _bucket.Objects["about/index.html"].Content);
        Assert.Equal("r1", (await LoadAsync()).Pointer!.Release);
    }

    [Fact]
    public async Task Should_UploadTheAssetsBeforeThePlanIsMade_When_NothingIsLiveYet()
    {
        // Given an empty bucket and a site of fingerprinted assets and entry points
        var recorder = new RecordingStore(_bucket);
        var observer = new RecordingObserver();

        // When it is deployed for the first time
        var outcome = await new SiteDeployer(new StoreConnector(recorder), TimeProvider.System, new HttpClient())
            .DeployAsync(Target, new DeployRequest(_site.Path, _site.Files, Options("r1")), observer, CancellationToken.None);

        // Then the assets went up (each with its MD5) before the plan was told, and the plan only has what followed them
        Assert.Equal(["stage", "planned", "supporting", "pages", "record", "pointer"], observer.Phases);
        Assert.Equal(["assets/app.0a1b2c3d4e.js", "assets/app.3f9a1c2b.css"], recorder.Writes.Take(2).Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(outcome.Plan.Operations, o => o.Key.StartsWith("assets/", StringComparison.Ordinal));
        Assert.Equal(6, outcome.Plan.Added);
        Assert.Equal(6, outcome.Plan.Uploaded);

        // and the record gives every file the MD5 the bucket holds it with
        var state = await LoadAsync();
        Assert.All(state.Current!.Files, f => Assert.True(state.Object(f.Path)!.Holds(f.Md5, f.Size), f.Path));
        Assert.DoesNotContain((await SiteDeployerDryRunAsync("r2")).Plan.Files, f => f.Writes);
    }

    [Fact]
    public async Task Should_PublishNoPageAndNoPointer_When_AnEarlyAssetUploadFails()
    {
        // When a first deploy's second upload (an asset, uploaded before the plan) is refused
        var error = await Assert.ThrowsAsync<KeylessException>(() => DeployAsync("r1", new FailingStore(_bucket) { FailPut = 2 }, concurrency: 1));

        // Then nothing a visitor could load was published, and a rerun finishes the deploy
        Assert.Contains("failed in the stage step", error.Message, StringComparison.Ordinal);
        Assert.Contains("no release (this was the first deploy)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_bucket.Objects.Keys, k => k.EndsWith(".html", StringComparison.Ordinal) || k == "robots.txt" || k.StartsWith(".keyless/", StringComparison.Ordinal));
        var rerun = await DeployAsync("r1");
        Assert.Equal(6, rerun.Plan.Files.Count);
        Assert.Equal("r1", (await LoadAsync()).Pointer!.Release);
    }

    [Fact]
    public async Task Should_UploadWhatTheLiveReleaseLacksWhileTheBucketIsListed_When_AReleaseIsLive()
    {
        // Given r1 is live, and r2 renames an asset (a new fingerprint) and changes the home page
        await DeployAsync("r1");
        _site.Without("assets/app.0a1b2c3d4e.js").With("assets/app.9f8e7d6c5b.js", "console.log('v2');").With("index.html", "<html>Home v2</html>");
        var listing = new SlowListingStore(_bucket);
        var observer = new RecordingObserver();

        // When r2 is deployed while the listing takes until an upload arrived
        var outcome = await new SiteDeployer(new StoreConnector(listing), TimeProvider.System, new HttpClient())
            .DeployAsync(Target, new DeployRequest(_site.Path, _site.Files, Options("r2")), observer, CancellationToken.None);

        // Then the new asset and the new page's content copy went up during the listing, and the plan left them out
        var newPage = (await LoadAsync()).Current!.Files.Single(f => f.Path == "index.html");
        Assert.Equal([Target.Layout.ContentKey(newPage.Sha256), "assets/app.9f8e7d6c5b.js"], listing.PutWhileListing.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(outcome.Plan.Operations, o => listing.PutWhileListing.Contains(o.Key));
        Assert.Equal(["stage", "planned", "stage", "pages", "record", "pointer"], observer.Phases);
        Assert.Equal(2, outcome.Plan.Uploaded);

        // and the bucket holds r2 exactly: a dry run finds nothing to write
        var state = await LoadAsync();
        Assert.Equal("r2", state.Pointer!.Release);
        Assert.Equal("<html>Home v2</html>", System.Text.Encoding.UTF8.GetString(_bucket.Objects["index.html"].Content));
        Assert.DoesNotContain((await SiteDeployerDryRunAsync("r3")).Plan.Files, f => f.Writes);
    }

    [Fact]
    public async Task Should_LeaveTheLiveReleaseAlone_When_AnUploadDuringTheListingFails()
    {
        // Given r1 is live, and r2 changes a page
        await DeployAsync("r1");
        var before = _bucket.Objects;
        _site.With("about/index.html", "<html>About v2</html>");

        // When the upload made while the bucket is listed (the page's content copy) is refused
        var error = await Assert.ThrowsAsync<KeylessException>(() => DeployAsync("r2", new FailingStore(new SlowListingStore(_bucket)) { FailPut = 1 }));

        // Then the deploy stops in the stage step with r1 live and untouched
        Assert.Contains("failed in the stage step", error.Message, StringComparison.Ordinal);
        Assert.Contains("Visitors still get release r1", error.Message, StringComparison.Ordinal);
        Assert.All(before, o => Assert.Equal(o.Value.Content, _bucket.Objects[o.Key].Content));
        Assert.Equal("r1", (await LoadAsync()).Pointer!.Release);
    }

    [Fact]
    public async Task Should_PlanEveryEarlyUploadAgain_And_NeverAnEntryPoint_When_TheListingIsRead()
    {
        // Given r1 is live, someone deleted one of its assets, and r2 renames an asset, changes CSS in place, adds a page and changes robots.txt
        await DeployAsync("r1");
        await _bucket.DeleteAsync(["assets/app.3f9a1c2b.css"], CancellationToken.None);
        _site.Without("assets/app.0a1b2c3d4e.js").With("assets/app.77aa.js", "console.log('v2');")
            .With("assets/app.3f9a1c2b.css", "body { color: #456; }").With("new/index.html", "<html>New</html>").With("robots.txt", "User-agent: *\nDisallow: /\n");
        var site = await SiteManifest.ScanAsync(_site.Path, _site.Files, CacheControlPolicy.Default);
        var remote = await LoadAsync();

        // When the early uploads are worked out from the releases alone, and the plan from the listing too
        var early = Planner.EarlyUploads(site, Target.Layout, new KnownReleases(remote.Pointer, remote.PointerETag, remote.Records));
        var plan = Planner.ForDeploy(site, remote, Options("r2"));

        // Then each is a stage-step request the plan makes too, and none writes a key a visitor loads as an entry point
        var planned = plan.Operations.OfType<PutOperation>().Select(p => p.Request).ToList();
        Assert.Equal(4, early.Count);
        Assert.All(early, e => Assert.Contains(e.Request, planned));
        Assert.All(early, e => Assert.Equal(PublishPhase.Stage, e.Phase));
        Assert.DoesNotContain(early, e => site.Files.Any(f => f.Kind == FileKind.EntryPoint && f.Path == e.Key));
    }

    [Fact]
    public async Task Should_UploadNothingEarly_When_TheLiveReleasesRecordIsMissing()
    {
        // Given r1 is live but its record was deleted
        await DeployAsync("r1");
        await _bucket.DeleteAsync([Target.Layout.RecordKey("r1")], CancellationToken.None);
        _site.With("assets/app.1234abcd.js", "console.log('new');");
        var recorder = new RecordingStore(_bucket);

        // When r2 is deployed
        var error = await Assert.ThrowsAsync<KeylessException>(() => DeployAsync("r2", recorder));

        // Then it stops on the missing record without having written anything
        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
        Assert.Empty(recorder.Writes);
    }

    private Task<DeployOutcome> SiteDeployerDryRunAsync(string release) =>
        new SiteDeployer(new StoreConnector(_bucket), TimeProvider.System, new HttpClient())
            .DeployAsync(Target, new DeployRequest(_site.Path, _site.Files, Options(release)) { DryRun = true }, null, CancellationToken.None);

    /// <summary>The order of what the publisher reports: each phase as it starts, and the plan.</summary>
    private sealed class RecordingObserver : IPublishObserver
    {
        private readonly List<string> _phases = [];

        public IReadOnlyList<string> Phases
        {
            get
            {
                lock (_phases)
                {
                    return [.. _phases];
                }
            }
        }

        public void Planned(DeployPlan plan) => Add("planned");

        public void PhaseStarting(PublishPhase phase, IReadOnlyList<StoreOperation> operations) => Add(phase.ToString().ToLowerInvariant());

        public void Completed(StoreOperation operation)
        {
        }

        public void PhaseCompleted(PublishPhase phase)
        {
        }

        private void Add(string what)
        {
            lock (_phases)
            {
                _phases.Add(what);
            }
        }
    }

    private Task<RemoteState> LoadAsync() => new ReleaseStore(_bucket, Target.Layout).LoadAsync(Planner.DefaultRetain, [], CancellationToken.None);

    private static DeployOptions Options(string release) => new(release, DateTimeOffset.UtcNow);

    private Task<DeployOutcome> DeployAsync(string release, IObjectStore? store = null, int concurrency = Publisher.DefaultConcurrency, int retain = Planner.DefaultRetain) =>
        new SiteDeployer(new StoreConnector(store ?? _bucket), TimeProvider.System, new HttpClient())
            .DeployAsync(Target, new DeployRequest(_site.Path, _site.Files, Options(release) with { Retain = retain }) { Concurrency = concurrency }, null, CancellationToken.None);

    /// <summary>
    /// A listing that takes until the first PUT arrived (or five seconds), as a large bucket's many pages do;
    /// records which keys were PUT while a listing was under way.
    /// </summary>
    private sealed class SlowListingStore(IObjectStore inner) : IObjectStore
    {
        private readonly TaskCompletionSource _put = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _putWhileListing = [];
        private int _listing;

        public IReadOnlyList<string> PutWhileListing
        {
            get
            {
                lock (_putWhileListing)
                {
                    return [.. _putWhileListing];
                }
            }
        }

        public string Bucket => inner.Bucket;

        public async Task<IReadOnlyList<ListedObject>> ListAsync(string prefix, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _listing);
            try
            {
                var listed = await inner.ListAsync(prefix, cancellationToken);
                await Task.WhenAny(_put.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Delay(50, cancellationToken);
                return listed;
            }
            finally
            {
                Interlocked.Decrement(ref _listing);
            }
        }

        public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public async Task<Written> PutAsync(PutRequest request, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref _listing) > 0)
            {
                lock (_putWhileListing)
                {
                    _putWhileListing.Add(request.Key);
                }
            }

            _put.TrySetResult();
            return await inner.PutAsync(request, cancellationToken);
        }

        public Task<Written> CopyAsync(CopyRequest request, CancellationToken cancellationToken) => inner.CopyAsync(request, cancellationToken);

        public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) => inner.DeleteAsync(keys, cancellationToken);
    }

    /// <summary>
    /// Fails the n-th PUT or COPY onto a site key as an access denial would, every delete, or the answer of a PUT that landed;
    /// can make copies slow, landing in the bucket even when the caller gave up on them, as S3 requests do.
    /// </summary>
    private sealed class FailingStore(IObjectStore inner) : IObjectStore
    {
        private int _puts;
        private int _copies;

        public int? FailPut { get; init; }

        public int? FailCopy { get; init; }

        public bool FailDelete { get; init; }

        public string? LoseAnswerOf { get; init; }

        public TimeSpan? SlowCopies { get; init; }

        public string Bucket => inner.Bucket;

        public Task<IReadOnlyList<ListedObject>> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

        public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public async Task<Written> PutAsync(PutRequest request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _puts) == FailPut)
            {
                throw Denied(request.Key);
            }

            var etag = await inner.PutAsync(request, cancellationToken);
            return request.Key == LoseAnswerOf ? throw new KeylessException(FailureKind.Failed, $"PutObject s3://memory/{request.Key} did not reach S3: the response ended prematurely.") : etag;
        }

        public Task<Written> CopyAsync(CopyRequest request, CancellationToken cancellationToken)
        {
            // Copies onto site keys are counted (switching entry points); content copies made in the stage step are not.
            var failing = !request.Key.StartsWith(".keyless/", StringComparison.Ordinal) && Interlocked.Increment(ref _copies) == FailCopy;
            if (SlowCopies is not { } delay)
            {
                return failing ? throw Denied(request.Key) : inner.CopyAsync(request, cancellationToken);
            }

            if (failing)
            {
                // Refused a moment later, while the other copies are on their way.
                return Task.Delay(delay / 6, CancellationToken.None).ContinueWith<Written>(_ => throw Denied(request.Key), TaskScheduler.Default);
            }

            var landing = Task.Run(async () =>
            {
                await Task.Delay(delay, CancellationToken.None);
                return await inner.CopyAsync(request, CancellationToken.None);
            }, CancellationToken.None);
            return landing.WaitAsync(cancellationToken);
        }

        public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
            FailDelete ? throw Denied(keys[0]) : inner.DeleteAsync(keys, cancellationToken);

        private static KeylessException Denied(string key) => new(FailureKind.Failed, $"PutObject s3://memory/{key} was refused: AccessDenied (HTTP 403).");
    }
}
