using Keyless.Core;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Storage;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>
/// A deploy through a real proxy in front of moto that answers 503 SlowDown whenever more than a few requests are
/// under way, as S3 does while it scales to a new request rate: the deploy backs off and completes.
/// </summary>
public sealed class SlowDownTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private const int Capacity = 6;
    private readonly SiteFolder _work = SiteFolder.Empty();
    private FaultProxy _proxy = null!;

    public async Task InitializeAsync() => _proxy = await FaultProxy.StartAsync(moto.Server.Url);

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Should_BackOffAndComplete_When_S3AnswersSlowDownAboveAFewRequestsAtATime()
    {
        // Given 200 files and an S3 that takes 6 requests at a time, deployed 32 at a time (the default)
        using var site = SiteFolder.Typical();
        for (var i = 0; i < 200; i++)
        {
            site.With($"assets/chunk-{i:D4}a1b2c3d4.js", $"chunk({i});");
        }

        var bucket = await moto.NewBucketAsync();
        var window = new RequestWindow(2 * Publishing.Publisher.DefaultConcurrency);
        _proxy.SlowDownAbove = Capacity;
        var environment = moto.Environment();
        environment["AWS_ENDPOINT_URL"] = _proxy.Url.ToString();
        var connector = new AwsConnector(environment, _work.Files, moto.Http, TimeProvider.System, defaultChain: null)
        {
            TuneS3 = settings => settings with { Window = window },
        };

        // When
        var result = await KeylessCli.RunAsync(environment, connector, "deploy", "--site", site.Path, "--bucket", bucket, "--release", "r1", "--dotenv", Path.Combine(_work.Path, "deploy.env"));

        // Then it succeeded, with every file in place, after letting fewer requests through
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Empty(await BucketState.LiveSiteProblemsAsync(moto.S3, bucket));
        Assert.True(_proxy.OverloadSlowDowns > 0, "S3 never said SlowDown: the test did not test anything");
        Assert.True(window.Lowest <= Capacity, $"the window went down to {window.Lowest} requests at a time, more than the {Capacity} S3 takes");
        Assert.Equal(window.SlowDowns, _proxy.OverloadSlowDowns);
    }
}
