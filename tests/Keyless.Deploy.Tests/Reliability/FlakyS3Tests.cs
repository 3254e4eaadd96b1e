using System.Security.Cryptography;
using System.Text;
using Keyless.Core;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;
using Xunit.Abstractions;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>
/// Three deploys through an S3 that fails one request in ten — 503 SlowDown with S3's XML body, or the
/// connection reset before or after the request took effect — chosen by a fixed seed, with the SDK's default
/// retries: every deploy completes, and the bucket ends exactly as the same deploys leave it without faults
/// (keys, ETags, Content-Type and Cache-Control, the records and pointer but for their times).
/// </summary>
public sealed class FlakyS3Tests(MotoFixture moto, ITestOutputHelper output) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private const string Seed = "keyless-flaky-s3-3";
    private const double FailureRate = 0.10;

    private readonly SiteFolder[] _versions = [ReliabilitySite.Version(0, extra: 40), ReliabilitySite.Version(1, extra: 40), ReliabilitySite.Version(2, extra: 40)];
    private readonly SiteFolder _work = SiteFolder.Empty();
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync() => _proxy = await FaultProxy.StartAsync(moto.Server.Url);

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        foreach (var site in _versions.Append(_work))
        {
            site.Dispose();
        }
    }

    [Fact]
    public async Task Should_CompleteAndMatchAFaultFreeDeploy_When_OneRequestInTenFails()
    {
        // Given the same three releases deployed without faults
        var clean = await moto.NewBucketAsync();
        for (var version = 0; version < 3; version++)
        {
            Assert.Equal(ExitCodes.Success, (await DeployAsync(clean, version)).ExitCode);
        }

        // When they are deployed through an S3 that fails one request in ten
        var flaky = await moto.NewBucketAsync();
        _proxy.Faults = r => r.Bucket == flaky ? Choose(r) : Fault.None;
        var results = new List<CliResult>();
        for (var version = 0; version < 3; version++)
        {
            var result = await DeployAsync(flaky, version);
            results.Add(result);

            // Then every deploy completes
            Assert.True(result.ExitCode == ExitCodes.Success, $"r{version}: {result}");
        }

        _proxy.Faults = _ => Fault.None;
        var faults = _proxy.Log.Where(l => l.Request.Bucket == flaky).GroupBy(l => l.Fault).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", faults.Select(f => $"{f.Key}: {f.Value}")));
        Assert.All(new[] { Fault.SlowDown, Fault.Reset, Fault.LoseResponse }, f => Assert.True(faults.GetValueOrDefault(f) >= 3, $"{f} happened {faults.GetValueOrDefault(f)} times"));

        // And the bucket is exactly what the fault-free deploys made, headers included
        var expected = await BucketState.ReadAsync(moto.S3, clean, headers: true);
        var actual = await BucketState.ReadAsync(moto.S3, flaky, headers: true);
        Assert.Empty(actual.DifferencesFrom(expected));
        Assert.Empty(await BucketState.LiveSiteProblemsAsync(moto.S3, flaky));

        // And neither the output nor the records show the secret key
        Assert.All(results, r => Assert.DoesNotContain(MotoFixture.SecretKey, r.All, StringComparison.Ordinal));
        Assert.All(actual.State.Values, json => Assert.DoesNotContain(MotoFixture.SecretKey, json, StringComparison.Ordinal));
    }

    /// <summary>A request's fate, from the seed, its method, URL and attempt: the same in every run, whatever order requests come in.</summary>
    private static Fault Choose(ProxiedRequest request)
    {
        // The bucket's name is new in every run: the URL without it, so every run fails the same requests.
        var url = request.PathAndQuery[(request.Bucket.Length + 1)..];
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{Seed} {request.Method} {url} {request.Attempt}"));
        var draw = BitConverter.ToUInt32(hash, 0) / (double)uint.MaxValue;
        return draw >= FailureRate ? Fault.None : (hash[4] % 3) switch
        {
            0 => Fault.SlowDown,
            1 => Fault.Reset,
            _ => Fault.LoseResponse,
        };
    }

    private async Task<CliResult> DeployAsync(string bucket, int version)
    {
        var environment = moto.Environment();
        environment["AWS_ENDPOINT_URL"] = _proxy.Url.ToString();
        var connector = new AwsConnector(environment, _work.Files, moto.Http, TimeProvider.System, defaultChain: null);
        return await KeylessCli.RunAsync(environment, connector, "deploy", "--site", _versions[version].Path, "--bucket", bucket, "--release", $"r{version}", "--dotenv", Path.Combine(_work.Path, "deploy.env"));
    }
}
