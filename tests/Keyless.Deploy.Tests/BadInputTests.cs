using Keyless.Core;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>
/// Against moto, through the whole command line in-process: every bad input ends in one clear message and a
/// non-zero exit, with nothing deleted and the live release untouched. No secret is ever printed.
/// </summary>
public sealed class BadInputTests(MotoFixture moto) : IClassFixture<MotoFixture>, IDisposable
{
    private readonly SiteFolder _work = SiteFolder.Empty();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Should_NameTheFolder_When_TheSiteFolderIsMissing()
    {
        var bucket = await moto.NewBucketAsync();
        var missing = Path.Combine(_work.Path, "dist");

        var result = await DeployAsync(moto.Environment(), null, missing, bucket);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains($"--site {missing}: no such folder", result.Errors, StringComparison.Ordinal);
        Assert.Contains("keyless site build", result.Errors, StringComparison.Ordinal);
        Assert.Empty(await moto.ObjectsAsync(bucket));
    }

    [Fact]
    public async Task Should_RefuseAnEmptyRelease_When_TheSiteFolderIsEmpty()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Empty().With(".keyless-build.json", """{"version":1,"files":{}}""");

        var result = await DeployAsync(moto.Environment(), null, site.Path, bucket);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("holds no files to publish", result.Errors, StringComparison.Ordinal);
        Assert.Empty(await moto.ObjectsAsync(bucket));
    }

    [Fact]
    public async Task Should_SayTheBucketDoesNotExist_When_ItIsUnknown()
    {
        using var site = SiteFolder.Typical();

        var result = await DeployAsync(moto.Environment(), null, site.Path, "kl-no-such-bucket");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("The bucket kl-no-such-bucket does not exist at " + moto.Server.Url.ToString().TrimEnd('/'), result.Errors, StringComparison.Ordinal);
        Assert.Contains("--bucket", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain((await moto.S3.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == "kl-no-such-bucket");
    }

    [Fact]
    public async Task Should_SayHowToGetCredentials_When_ThereAreNone()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        var environment = new MapEnvironment { ["AWS_ENDPOINT_URL"] = moto.Server.Url.ToString() };

        var result = await DeployAsync(environment, null, site.Path, bucket);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("No AWS credentials", result.Errors, StringComparison.Ordinal);
        Assert.Contains("id_tokens", result.Errors, StringComparison.Ordinal);
        Assert.Empty(await moto.ObjectsAsync(bucket));
    }

    [Theory]
    [InlineData("missing site folder", "no such folder")]
    [InlineData("empty site folder", "holds no files to publish")]
    [InlineData("no credentials", "No AWS credentials")]
    [InlineData("bad endpoint", "is not an absolute http(s) URL")]
    public async Task Should_LeaveTheLiveReleaseUntouched_When_TheInputIsUnusable(string problem, string message)
    {
        // Given r0 then r1 live, so that the next deploy would delete what only r0 had
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical().With("assets/old.1234abcd.js", "old");
        Assert.Equal(ExitCodes.Success, (await DeployAsync(moto.Environment(), null, site.Path, bucket, "r0")).ExitCode);
        site.Without("assets/old.1234abcd.js").With("index.html", "<html>Home v1</html>");
        Assert.Equal(ExitCodes.Success, (await DeployAsync(moto.Environment(), null, site.Path, bucket, "r1")).ExitCode);
        var before = await moto.ObjectsAsync(bucket);
        site.With("index.html", "<html>Home v2</html>");

        // When the next deploy has unusable input
        var environment = moto.Environment();
        var folder = site.Path;
        using var empty = SiteFolder.Empty();
        switch (problem)
        {
            case "missing site folder":
                folder = Path.Combine(_work.Path, "dist");
                break;
            case "empty site folder":
                folder = empty.Path;
                break;
            case "no credentials":
                environment["AWS_ACCESS_KEY_ID"] = null;
                environment["AWS_SECRET_ACCESS_KEY"] = null;
                break;
            default:
                environment["AWS_ENDPOINT_URL"] = "127.0.0.1:5000";
                break;
        }

        var result = await DeployAsync(environment, null, folder, bucket, "r2");

        // Then one message, exit 2, and the bucket exactly as it was: nothing written, nothing deleted, r1 live
        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains(message, result.Errors, StringComparison.Ordinal);
        Assert.Equal(before, await moto.ObjectsAsync(bucket));
        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
        Assert.DoesNotContain(MotoFixture.SecretKey, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_KeepTheLiveReleaseAndDeleteNothing_When_AccessIsDeniedMidway()
    {
        // Given r1 is live, with an asset r2 drops
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical().With("assets/old.1234abcd.js", "old");
        await DeployAsync(moto.Environment(), null, site.Path, bucket, "r1");
        var before = await moto.ObjectsAsync(bucket);
        var home = await moto.TextAsync(bucket, "index.html");

        // When r2 (new assets, a changed page) is refused on its third PUT
        site.Without("assets/old.1234abcd.js")
            .With("assets/a.11111111.js", "a").With("assets/b.22222222.js", "b").With("assets/c.33333333.js", "c")
            .With("index.html", "<html>Home v2</html>");
        var recorder = default(RecordingStore);
        var connector = new WrappingConnector(moto.Connector(), store => recorder = new RecordingStore(store) { DenyPut = 3 });
        var result = await DeployAsync(moto.Environment(), connector, site.Path, bucket, "r2");

        // Then: one message naming the refusal and the fix, exit 1, nothing deleted, r1 still live and served
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("was refused: AccessDenied (HTTP 403", result.Errors, StringComparison.Ordinal);
        Assert.Contains("may not s3:PutObject", result.Errors, StringComparison.Ordinal);
        Assert.Contains("Visitors still get release r1", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("This is a bug", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(recorder!.Writes, c => c.Kind is "delete" or "copy");
        var after = await moto.ObjectsAsync(bucket);
        Assert.All(before, o => Assert.Equal(o.Value, after[o.Key]));
        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
        Assert.Equal(home, await moto.TextAsync(bucket, "index.html"));
        Assert.DoesNotContain(MotoFixture.SecretKey, result.All, StringComparison.Ordinal);

        // And the next run, once allowed, picks up where it stopped
        var retry = await DeployAsync(moto.Environment(), null, site.Path, bucket, "r2");
        Assert.Equal(ExitCodes.Success, retry.ExitCode);
        Assert.Equal("r2", await moto.LiveReleaseAsync(bucket));
    }

    [Fact]
    public async Task Should_PutThePagesBack_When_AccessIsDeniedWhilePublishingPages()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await DeployAsync(moto.Environment(), null, site.Path, bucket, "r1");
        var about = await moto.TextAsync(bucket, "about/index.html");
        site.With("about/index.html", "<html>About v2</html>").With("index.html", "<html>Home v2</html>");
        var connector = new WrappingConnector(moto.Connector(), store => new RecordingStore(store) { DenyCopy = 2 });

        var result = await DeployAsync(moto.Environment(), connector, site.Path, bucket, "r2", "--concurrency", "1");

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("failed in the pages step", result.Errors, StringComparison.Ordinal);
        Assert.Contains("copied back, so visitors get release r1 again", result.Errors, StringComparison.Ordinal);
        Assert.Equal(about, await moto.TextAsync(bucket, "about/index.html"));
        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
    }

    [Theory]
    [InlineData("--concurrency", "0", "--concurrency 0")]
    [InlineData("--retain", "0", "--retain 0")]
    [InlineData("--release", "../x", "--release \"../x\"")]
    [InlineData("--prefix", ".keyless", "--prefix .keyless: expected folder names")]
    [InlineData("--format", "sarif", "--format sarif: expected text or json")]
    [InlineData("--distribution", "E1/../x", "--distribution E1/../x: not a CloudFront distribution ID")]
    public async Task Should_RefuseTheValue_When_AnOptionIsOutOfRange(string option, string value, string message)
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();

        var result = await DeployAsync(moto.Environment(), null, site.Path, bucket, "r1", option, value);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains(message, result.Errors, StringComparison.Ordinal);
        Assert.Empty(await moto.ObjectsAsync(bucket));
    }

    [Fact]
    public async Task Should_AskForABucket_When_TheEnvironmentNamesNone()
    {
        using var site = SiteFolder.Typical();
        var config = Path.Combine(_work.Path, "keyless.json");
        File.WriteAllText(config, """{"gitlab": {"project": "acme/www", "projectId": "42"}, "aws": {"account": "111122223333", "region": "us-east-1"}}""");

        var result = await KeylessCli.RunAsync(moto.Environment(), null, "deploy", "--site", site.Path, "--env", "staging", "--config", config);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("environment \"staging\" names no bucket", result.Errors, StringComparison.Ordinal);
    }

    private Task<CliResult> DeployAsync(MapEnvironment environment, Aws.IDeployConnector? connector, string site, string bucket, string release = "r1", params string[] more) =>
        KeylessCli.RunAsync(environment, connector, ["deploy", "--site", site, "--bucket", bucket, "--release", release, "--dotenv", Path.Combine(_work.Path, "deploy.env"), .. more]);
}
