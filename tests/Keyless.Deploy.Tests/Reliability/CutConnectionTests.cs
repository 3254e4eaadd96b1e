using Keyless.Core;
using Keyless.Testing;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>Each request's connection is cut in turn and the request sent again: the deploy matches a clean one.</summary>
public sealed class CutConnectionTests(MotoFixture moto) : InterruptedDeployCases(moto), IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Should_SucceedAndMatchACleanDeploy_When_AnyConnectionIsCutAndTheRequestIsSentAgain()
    {
        // Given a clean deploy of r2 over r0 and r1, counting its requests
        var clean = await Moto.NewBucketAsync();
        await PrepareAsync(clean);
        Assert.Equal(ExitCodes.Success, (await DeployAsync(clean, retries: 2)).ExitCode);
        var requests = Requests(clean);
        var expected = await BucketState.ReadAsync(Moto.S3, clean);

        // When the connection of each request in turn is cut — before S3 saw it, or after S3 acted on it — and it is sent again
        await RunCasesAsync([Fault.Reset, Fault.LoseResponse], requests, retries: 2, versioned: false, async (bucket, _, run, what) =>
        {
            // Then the deploy succeeds (a conditional pointer write that had landed is recognised as this
            // deploy's own), and the bucket is exactly what a clean deploy makes
            Assert.True(run.ExitCode == ExitCodes.Success, what);
            var differences = (await BucketState.ReadAsync(Moto.S3, bucket)).DifferencesFrom(expected);
            Assert.True(differences.Count == 0, $"{what}\n{string.Join("\n", differences)}");
        });

        Assert.All(Results, r => Assert.DoesNotContain(MotoFixture.SecretKey, r.All, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_NameTheCopySourceWithPlainSlashes_When_CopyingWithinTheBucket()
    {
        // s3rver and other stand-ins split x-amz-copy-source on "/"; the SDK alone would send bucket%2Fkey.
        var bucket = await Moto.NewBucketAsync();
        await PrepareAsync(bucket);

        Assert.Equal(ExitCodes.Success, (await DeployAsync(bucket, retries: 0)).ExitCode);

        var copies = Proxy.Log.Select(l => l.Request).Where(r => r.Bucket == bucket && r.CopySource is not null).ToList();
        Assert.NotEmpty(copies);
        Assert.Contains(copies, r => r.CopySource!.Contains("/.keyless/content/", StringComparison.Ordinal));
        Assert.All(copies, r => Assert.Matches($"^/?{bucket}/[^%]+$", r.CopySource!));
    }
}
