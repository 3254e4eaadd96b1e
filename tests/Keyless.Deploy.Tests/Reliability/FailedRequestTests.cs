using System.Diagnostics;
using Keyless.Core;
using Keyless.Testing;
using Xunit.Abstractions;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>Each request of a deploy fails in turn, with no retries: the live site stays whole and a rerun converges.</summary>
public sealed class FailedRequestTests(MotoFixture moto, ITestOutputHelper output) : InterruptedDeployCases(moto), IClassFixture<MotoFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_KeepTheLiveSiteWholeAndConvergeOnRerun_When_AnyRequestFails(bool versioned)
    {
        var watch = Stopwatch.StartNew();

        // Given a clean deploy of r2 over r0 and r1, counting its requests
        var clean = await Moto.NewBucketAsync(versioned);
        await PrepareAsync(clean);
        var cleanRun = await DeployAsync(clean, retries: 0);
        Assert.True(cleanRun.ExitCode == ExitCodes.Success, cleanRun.ToString());
        var requests = Requests(clean);
        var expected = await BucketState.ReadAsync(Moto.S3, clean);
        Assert.Empty(await BucketState.LiveSiteProblemsAsync(Moto.S3, clean));
        Assert.Contains(expected.Objects.Keys, k => k.StartsWith("blog/post-2/", StringComparison.Ordinal)); // removed in r2, kept one release
        Assert.DoesNotContain(expected.Objects.Keys, k => k.StartsWith("assets/legacy.", StringComparison.Ordinal)); // only r0 needed it: deleted

        // When each request of the deploy fails in turn, with no retries — before S3 saw it, or after S3 acted on it
        var runs = await RunCasesAsync([Fault.ServerError, Fault.ServerErrorAfterApplying], requests, retries: 0, versioned, async (bucket, before, run, what) =>
        {
            // Then the deploy succeeded or failed cleanly
            Assert.True(run.ExitCode is ExitCodes.Success or ExitCodes.Failed, what);
            Assert.DoesNotContain("This is a bug", run.Errors, StringComparison.Ordinal);

            // And the live release is served whole
            var problems = await BucketState.LiveSiteProblemsAsync(Moto.S3, bucket);
            Assert.True(problems.Count == 0, $"{what}\n{string.Join("\n", problems)}");
            var after = await BucketState.ReadAsync(Moto.S3, bucket);
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
            var differences = (await BucketState.ReadAsync(Moto.S3, bucket)).DifferencesFrom(expected);
            Assert.True(differences.Count == 0, $"{what}\nafter the rerun:\n{string.Join("\n", differences)}");
        });
        var outcomes = runs.GroupBy(r => r.ExitCode == ExitCodes.Success ? "succeeded" : "failed").ToDictionary(g => g.Key, g => g.Count());

        // And every kind of request was hit (listing, reads, uploads, copies, the pointer, the batch delete)
        var hit = Proxy.Log.Where(l => l.Fault != Fault.None).Select(l => l.Request).ToList();
        Assert.Contains(hit, r => r.PathAndQuery.Contains("list-type=2", StringComparison.Ordinal));
        Assert.Contains(hit, r => r.Method == "PUT" && r.PathAndQuery.EndsWith("/.keyless/current.json", StringComparison.Ordinal));
        Assert.Contains(hit, r => r.Method == "POST" && r.PathAndQuery.EndsWith("?delete", StringComparison.Ordinal));

        // And no output ever shows the secret key
        Assert.All(Results, r => Assert.DoesNotContain(MotoFixture.SecretKey, r.All, StringComparison.Ordinal));
        output.WriteLine($"{(versioned ? "versioned bucket: " : "")}{requests.Count} requests per deploy ({requests.Count(r => r.Method is "GET" or "HEAD")} reads), {runs.Count} cases: {string.Join(", ", outcomes.Select(p => $"{p.Value} {p.Key}"))}; {watch.Elapsed.TotalSeconds:F1} s");
    }
}
