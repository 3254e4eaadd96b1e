using System.Text;
using System.Text.Json;
using Keyless.Core;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto: the job's ID token is exchanged with STS for the deploy's credentials, and neither is ever printed.</summary>
public sealed class CredentialTests(MotoFixture moto) : IClassFixture<MotoFixture>, IDisposable
{
    private readonly SiteFolder _work = SiteFolder.Empty();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Should_DeployWithTheExchangedSession_When_TheJobHasAnIdToken()
    {
        // Given a GitLab job: an ID token and a role, no keys (moto's STS takes any token)
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        var token = FakeJobToken();
        var environment = new MapEnvironment
        {
            ["AWS_ENDPOINT_URL"] = moto.Server.Url.ToString(),
            ["KEYLESS_ID_TOKEN"] = token,
            ["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/keyless-deploy",
            ["CI_PIPELINE_ID"] = "77",
            ["CI_JOB_ID"] = "88",
        };

        // When it deploys, and when its next deploy is refused
        var deployed = await KeylessCli.RunAsync(environment, null, Deploy(site, bucket, "r1"));
        var refused = await KeylessCli.RunAsync(environment, new WrappingConnector(moto.Connector(environment), store => new RecordingStore(store) { DenyPut = 1 }), Deploy(site.With("index.html", "v2"), bucket, "r2"));

        // Then the deploy ran as the assumed role, which the refusal names; the token is printed nowhere
        Assert.True(deployed.ExitCode == ExitCodes.Success, deployed.ToString());
        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("the role session arn:aws:sts::123456789012:assumed-role/keyless-deploy/", refused.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(token, deployed.All + refused.All, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], deployed.All + refused.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ShowProgressAndTheSummary_When_RunInATerminal()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();

        var result = await KeylessCli.RunInTerminalAsync(moto.Environment(), Deploy(site, bucket, "r1"));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("Publishing 2 pages", result.Output, StringComparison.Ordinal);
        Assert.Contains("Deployed release r1", result.Output, StringComparison.Ordinal);
        Assert.Contains("+ index.html", result.Output, StringComparison.Ordinal);
    }

    private string[] Deploy(SiteFolder site, string bucket, string release) =>
        ["deploy", "--site", site.Path, "--bucket", bucket, "--release", release, "--dotenv", Path.Combine(_work.Path, "deploy.env")];

    /// <summary>A GitLab-shaped token; moto never checks its signature.</summary>
    private static string FakeJobToken()
    {
        static string Part(object value) => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Part(new { alg = "RS256", typ = "JWT", kid = "test" });
        var claims = Part(new Dictionary<string, object>
        {
            ["iss"] = "https://gitlab.com",
            ["aud"] = "https://gitlab.com",
            ["sub"] = "project_path:acme/www:ref_type:branch:ref:main",
            ["project_id"] = "42",
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 600,
        });
        return $"{header}.{claims}.{Convert.ToBase64String(Encoding.UTF8.GetBytes("not-a-signature")).TrimEnd('=')}";
    }
}
