using System.Collections.Concurrent;
using System.Diagnostics;
using Keyless.Core;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;
using Xunit.Abstractions;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>
/// A deploy cut at every one of its requests, through a real proxy in front of moto: whatever request is lost
/// (before S3 saw it, or after S3 acted on it with the answer lost), the deploy ends with exit 0 or 1, the
/// release the pointer names is served whole and references only objects that exist, the live site is
/// untouched when the pointer did not move, and a plain rerun ends in exactly the bucket a clean deploy makes.
/// </summary>
public sealed class InterruptedDeployTests(MotoFixture moto, ITestOutputHelper output) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private readonly SiteFolder[] _versions = [ReliabilitySite.Version(0), ReliabilitySite.Version(1), ReliabilitySite.Version(2)];
    private readonly SiteFolder _work = SiteFolder.Empty();
    private readonly ConcurrentQueue<CliResult> _results = new();
    private readonly ConcurrentDictionary<string, (ProxiedRequest Target, Fault Fault)> _faults = new(StringComparer.Ordinal);
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _proxy = await FaultProxy.StartAsync(moto.Server.Url);
        _proxy.Faults = r => _faults.TryGetValue(r.Bucket, out var f) && r.What == f.Target.What && r.Occurrence == f.Target.Occurrence ? f.Fault : Fault.None;
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        foreach (var site in _versions.Append(_work))
        {
            site.Dispose();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_KeepTheLiveSiteWholeAndConvergeOnRerun_When_AnyRequestFails(bool versioned)
    {
        var watch = Stopwatch.StartNew();

        // Given a clean deploy of r2 over r0 and r1, counting its requests
        var clean = await moto.NewBucketAsync(versioned);
        await PrepareAsync(clean);
        var cleanRun = await DeployAsync(clean, retries: 0);
        Assert.True(cleanRun.ExitCode == ExitCodes.Success, cleanRun.ToString());
        var requests = Requests(clean);
        var expected = await BucketState.ReadAsync(moto.S3, clean);
        Assert.Empty(await BucketState.LiveSiteProblemsAsync(moto.S3, clean));
        Assert.Contains(expected.Objects.Keys, k => k.StartsWith("blog/post-2/", StringComparison.Ordinal)); // removed in r2, kept one release
        Assert.DoesNotContain(expected.Objects.Keys, k => k.StartsWith("assets/legacy.", StringComparison.Ordinal)); // only r0 needed it: deleted

        // When each request of the deploy fails in turn, with no retries — before S3 saw it, or after S3 acted on it
        var runs = await RunCasesAsync([Fault.ServerError, Fault.ServerErrorAfterApplying], requests, retries: 0, versioned, async (bucket, before, run, what) =>
        {
            // Then the deploy succeeded or failed cleanly
            Assert.True(run.ExitCode is ExitCodes.Success or ExitCodes.Failed, what);
            Assert.DoesNotContain("This is a bug", run.Errors, StringComparison.Ordinal);

            // And the live release is served whole
            var problems = await BucketState.LiveSiteProblemsAsync(moto.S3, bucket);
            Assert.True(problems.Count == 0, $"{what}\n{string.Join("\n", problems)}");
            var after = await BucketState.ReadAsync(moto.S3, bucket);
            if (after.LiveRelease == "r1")
            {
                // And if the pointer did not move, nothing that was there changed or went away
                Assert.Equal(ExitCodes.Failed, run.ExitCode);
                Assert.All(before.Objects, o => Assert.True(after.Objects.TryGetValue(o.Key, out var now) && now.ETag == o.Value.ETag, $"{what}\n{o.Key} changed or was deleted"));
                Assert.Equal(before.Objects[".keyless/current.json"], after.Objects[".keyless/current.json"]);
            }
            else
            {
                Assert.Equal("r2", after.LiveRelease);
            }

            // And a rerun without faults ends in exactly the bucket the clean deploy made
            var rerun = await DeployAsync(bucket, retries: 0);
            Assert.True(rerun.ExitCode == ExitCodes.Success, $"{what}\nrerun: {rerun}");
            var differences = (await BucketState.ReadAsync(moto.S3, bucket)).DifferencesFrom(expected);
            Assert.True(differences.Count == 0, $"{what}\nafter the rerun:\n{string.Join("\n", differences)}");
        });
        var outcomes = runs.GroupBy(r => r.ExitCode == ExitCodes.Success ? "succeeded" : "failed").ToDictionary(g => g.Key, g => g.Count());

        // And every kind of request was hit (listing, reads, uploads, copies, the pointer, the batch delete)
        var hit = _proxy.Log.Where(l => l.Fault != Fault.None).Select(l => l.Request).ToList();
        Assert.Contains(hit, r => r.PathAndQuery.Contains("list-type=2", StringComparison.Ordinal));
        Assert.Contains(hit, r => r.Method == "PUT" && r.PathAndQuery.EndsWith("/.keyless/current.json", StringComparison.Ordinal));
        Assert.Contains(hit, r => r.Method == "POST" && r.PathAndQuery.EndsWith("?delete", StringComparison.Ordinal));

        // And no output ever shows the secret key
        Assert.All(_results, r => Assert.DoesNotContain(MotoFixture.SecretKey, r.All, StringComparison.Ordinal));
        output.WriteLine($"{(versioned ? "versioned bucket: " : "")}{requests.Count} requests per deploy, each failed twice: {string.Join(", ", outcomes.Select(p => $"{p.Value} {p.Key}"))}; {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Should_SucceedAndMatchACleanDeploy_When_AnyConnectionIsCutAndTheRequestIsSentAgain()
    {
        // Given a clean deploy of r2 over r0 and r1, counting its requests
        var clean = await moto.NewBucketAsync();
        await PrepareAsync(clean);
        Assert.Equal(ExitCodes.Success, (await DeployAsync(clean, retries: 2)).ExitCode);
        var requests = Requests(clean);
        var expected = await BucketState.ReadAsync(moto.S3, clean);

        // When the connection of each request in turn is cut — before S3 saw it, or after S3 acted on it — and it is sent again
        await RunCasesAsync([Fault.Reset, Fault.LoseResponse], requests, retries: 2, versioned: false, async (bucket, _, run, what) =>
        {
            // Then the deploy succeeds (a conditional pointer write that had landed is recognised as this
            // deploy's own), and the bucket is exactly what a clean deploy makes
            Assert.True(run.ExitCode == ExitCodes.Success, what);
            var differences = (await BucketState.ReadAsync(moto.S3, bucket)).DifferencesFrom(expected);
            Assert.True(differences.Count == 0, $"{what}\n{string.Join("\n", differences)}");
        });

        Assert.All(_results, r => Assert.DoesNotContain(MotoFixture.SecretKey, r.All, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_NameTheCopySourceWithPlainSlashes_When_CopyingWithinTheBucket()
    {
        // s3rver and other stand-ins split x-amz-copy-source on "/"; the SDK alone would send bucket%2Fkey.
        var bucket = await moto.NewBucketAsync();
        await PrepareAsync(bucket);

        Assert.Equal(ExitCodes.Success, (await DeployAsync(bucket, retries: 0)).ExitCode);

        var copies = _proxy.Log.Select(l => l.Request).Where(r => r.Bucket == bucket && r.CopySource is not null).ToList();
        Assert.NotEmpty(copies);
        Assert.Contains(copies, r => r.CopySource!.Contains("/.keyless/content/", StringComparison.Ordinal));
        Assert.All(copies, r => Assert.Matches($"^/?{bucket}/[^%]+$", r.CopySource!));
    }

    /// <summary>The requests a deploy made to <paramref name="bucket"/>, in the order they arrived.</summary>
    private List<ProxiedRequest> Requests(string bucket) => [.. _proxy.Log.Select(l => l.Request).Where(r => r.Bucket == bucket)];

    /// <summary>
    /// For each fault and each request of a clean deploy: a bucket (versioned or not) prepared with r0 and r1, r2 deployed
    /// with that request failing that way, then <paramref name="check"/> given the bucket, its state before, the run and
    /// what was done. The request is chosen by what it asks (<see cref="ProxiedRequest.What"/>), not by when it arrives:
    /// a deploy's first requests go out together and their order at the proxy depends on timing, so every request is hit
    /// however busy the machine. The cases are independent (a bucket each), so they run a few at a time.
    /// </summary>
    private async Task<IReadOnlyList<CliResult>> RunCasesAsync(Fault[] faults, List<ProxiedRequest> requests, int retries, bool versioned, Func<string, BucketState, CliResult, string, Task> check)
    {
        var cases = faults.SelectMany(fault => requests.Select((target, i) => (Fault: fault, Target: target, K: i + 1))).ToList();
        var runs = new CliResult[cases.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, cases.Count), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var (fault, target, k) = cases[i];
            var bucket = await moto.NewBucketAsync(versioned);
            await PrepareAsync(bucket);
            var before = await BucketState.ReadAsync(moto.S3, bucket);
            _faults[bucket] = (target, fault);
            var run = await DeployAsync(bucket, retries);
            _faults.TryRemove(bucket, out var _);
            var cut = Assert.Single(_proxy.Log, l => l.Request.Bucket == bucket && l.Fault != Fault.None).Request;
            Assert.Equal(target.ToString(), cut.ToString());
            await check(bucket, before, run, $"{fault} at {cut} (request {k} of {requests.Count} of the clean deploy): {run}");
            runs[i] = run;
        });
        return runs;
    }

    /// <summary>r0 then r1, straight to moto.</summary>
    private async Task PrepareAsync(string bucket)
    {
        await moto.DeployAsync(bucket, _versions[0], "r0");
        await moto.DeployAsync(bucket, _versions[1], "r1");
    }

    /// <summary>r2 through the proxy, by the command line, with this many SDK retries.</summary>
    private async Task<CliResult> DeployAsync(string bucket, int retries)
    {
        var environment = moto.Environment();
        environment["AWS_ENDPOINT_URL"] = _proxy.Url.ToString();
        var connector = new AwsConnector(environment, _work.Files, moto.Http, TimeProvider.System, defaultChain: null)
        {
            TuneS3 = settings => settings with { MaxErrorRetry = retries },
        };
        var result = await KeylessCli.RunAsync(environment, connector, "deploy", "--site", _versions[2].Path, "--bucket", bucket, "--release", "r2", "--dotenv", Path.Combine(_work.Path, $"{bucket}.env"));
        _results.Enqueue(result);
        return result;
    }
}
