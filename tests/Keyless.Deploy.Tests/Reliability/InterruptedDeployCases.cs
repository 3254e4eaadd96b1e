using System.Collections.Concurrent;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>
/// A deploy cut at every one of its requests, through a real proxy in front of moto: whatever request is lost
/// (before S3 saw it, or after S3 acted on it with the answer lost), the deploy ends with exit 0 or 1, the
/// release the pointer names is served whole and references only objects that exist, the live site is
/// untouched when the pointer did not move, and a plain rerun ends in exactly the bucket a clean deploy makes.
/// The cases are split over two classes, each with its own moto and proxy, so that they run side by side: moto
/// answers on one processor core, and the cases are most of this project's test time.
/// </summary>
public abstract class InterruptedDeployCases(MotoFixture moto) : IAsyncLifetime
{
    private readonly SiteFolder[] _versions = [ReliabilitySite.Version(0), ReliabilitySite.Version(1), ReliabilitySite.Version(2)];
    private readonly SiteFolder _work = SiteFolder.Empty();
    private readonly ConcurrentDictionary<string, (ProxiedRequest Target, Fault Fault)> _faults = new(StringComparer.Ordinal);

    protected MotoFixture Moto => moto;

    protected ConcurrentQueue<CliResult> Results { get; } = new();

    private protected FaultProxy Proxy { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Proxy = await FaultProxy.StartAsync(moto.Server.Url);
        Proxy.Faults = r => _faults.TryGetValue(r.Bucket, out var f) && r.What == f.Target.What && r.Occurrence == f.Target.Occurrence ? f.Fault : Fault.None;
    }

    public async Task DisposeAsync()
    {
        await Proxy.DisposeAsync();
        foreach (var site in _versions.Append(_work))
        {
            site.Dispose();
        }
    }

    /// <summary>The requests a deploy made to <paramref name="bucket"/>, in the order they arrived.</summary>
    private protected List<ProxiedRequest> Requests(string bucket) => [.. Proxy.Log.Select(l => l.Request).Where(r => r.Bucket == bucket)];

    /// <summary>
    /// For each fault and each request of a clean deploy: a bucket (versioned or not) prepared with r0 and r1, r2 deployed
    /// with that request failing that way, then <paramref name="check"/> given the bucket, its state before, the run and
    /// what was done. The request is chosen by what it asks (<see cref="ProxiedRequest.What"/>), not by when it arrives:
    /// a deploy's first requests go out together and their order at the proxy depends on timing, so every request is hit
    /// however busy the machine. The cases are independent (a bucket each), so they run a few at a time.
    /// A read (GET, HEAD) changes nothing in S3, so a fault after S3 answered it reaches the deploy exactly as the same
    /// fault before S3 saw it: a read is hit by the faults that come before S3 only.
    /// </summary>
    private protected async Task<IReadOnlyList<CliResult>> RunCasesAsync(Fault[] faults, List<ProxiedRequest> requests, int retries, bool versioned, Func<string, BucketState, CliResult, string, Task> check)
    {
        var cases = faults
            .SelectMany(fault => requests.Select((target, i) => (Fault: fault, Target: target, K: i + 1)))
            .Where(c => !((c.Fault is Fault.LoseResponse or Fault.ServerErrorAfterApplying) && (c.Target.Method is "GET" or "HEAD")))
            .ToList();
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
            var cut = Assert.Single(Proxy.Log, l => l.Request.Bucket == bucket && l.Fault != Fault.None).Request;
            Assert.Equal(target.ToString(), cut.ToString());
            await check(bucket, before, run, $"{fault} at {cut} (request {k} of {requests.Count} of the clean deploy): {run}");
            runs[i] = run;
        });
        return runs;
    }

    /// <summary>r0 then r1, straight to moto.</summary>
    protected async Task PrepareAsync(string bucket)
    {
        await moto.DeployAsync(bucket, _versions[0], "r0");
        await moto.DeployAsync(bucket, _versions[1], "r1");
    }

    /// <summary>r2 through the proxy, by the command line, with this many SDK retries.</summary>
    protected async Task<CliResult> DeployAsync(string bucket, int retries)
    {
        var environment = moto.Environment();
        environment["AWS_ENDPOINT_URL"] = Proxy.Url.ToString();
        var connector = new AwsConnector(environment, _work.Files, moto.Http, TimeProvider.System, defaultChain: null)
        {
            TuneS3 = settings => settings with { MaxErrorRetry = retries },
        };
        var result = await KeylessCli.RunAsync(environment, connector, "deploy", "--site", _versions[2].Path, "--bucket", bucket, "--release", "r2", "--dotenv", Path.Combine(_work.Path, $"{bucket}.env"));
        Results.Enqueue(result);
        return result;
    }
}
