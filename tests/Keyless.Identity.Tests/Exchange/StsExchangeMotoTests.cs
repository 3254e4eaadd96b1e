using Keyless.Identity.Exchange;
using Keyless.Testing;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>The exchange against a real moto_server (which accepts any token; trust checks are tested elsewhere).</summary>
[Collection(MotoTests.Name)]
public sealed class StsExchangeMotoTests(MotoFixture moto)
{
    private const string Role = "arn:aws:iam::123456789012:role/deploy";
    private static readonly RetryPolicy Fast = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(4) };

    private readonly MapEnvironment _environment = new();
    private readonly Leaks _leaks = new();

    [Fact]
    public async Task Should_Return_Credentials_When_The_Token_Is_Exchanged()
    {
        // Given
        _environment[EnvironmentNames.EndpointUrlSts] = moto.Url;
        _environment[EnvironmentNames.RoleArn] = Role;
        UseToken(JobTokens.Sign());
        var before = DateTimeOffset.UtcNow;

        // When
        var credentials = await Exchange().ExchangeAsync(new ExchangeRequest());

        // Then
        Assert.StartsWith("ASIA", credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(credentials.SecretAccessKey));
        Assert.False(string.IsNullOrEmpty(credentials.SessionToken));
        Assert.InRange(credentials.Expiration, before.AddSeconds(900 - 60), DateTimeOffset.UtcNow.AddSeconds(900 + 60));
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/deploy/gitlab-27182818-1414213562-1732050807", credentials.AssumedRoleArn);
        Keep(credentials);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Read_The_Token_File_And_The_General_Endpoint_When_Configured_Like_The_Aws_Sdks()
    {
        // Given: only the SDKs' variables, and the job's ids from CI_* because the token lacks them
        using var folder = new TempFolder();
        var claims = JobTokens.Claims();
        claims.Remove("pipeline_id");
        claims.Remove("job_id");
        var token = JobTokens.Sign(claims);
        _leaks.Secret("ID token", token);
        var file = Path.Combine(folder.Path, "web-identity-token");
        await File.WriteAllTextAsync(file, token);
        _environment[EnvironmentNames.WebIdentityTokenFile] = file;
        _environment[EnvironmentNames.RoleArn] = Role;
        _environment[EnvironmentNames.EndpointUrl] = moto.Url;
        _environment[EnvironmentNames.CiPipelineId] = "77";
        _environment[EnvironmentNames.CiJobId] = "88";

        // When
        var credentials = await Exchange().ExchangeAsync(new ExchangeRequest { DurationSeconds = 1800 });

        // Then
        Assert.EndsWith("/deploy/gitlab-27182818-77-88", credentials.AssumedRoleArn, StringComparison.Ordinal);
        Assert.InRange(credentials.Expiration, DateTimeOffset.UtcNow.AddSeconds(1800 - 120), DateTimeOffset.UtcNow.AddSeconds(1800 + 60));
        Keep(credentials);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Assume_The_Role_Named_In_The_Request_Over_The_Environment()
    {
        // Given
        _environment[EnvironmentNames.EndpointUrlSts] = moto.Url;
        _environment[EnvironmentNames.RoleArn] = Role;
        UseToken(JobTokens.Sign());

        // When
        var credentials = await Exchange().ExchangeAsync(new ExchangeRequest { RoleArn = "arn:aws:iam::123456789012:role/ci/publish-site" });

        // Then
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/publish-site/gitlab-27182818-1414213562-1732050807", credentials.AssumedRoleArn);
        Keep(credentials);
        _leaks.AssertNone();
    }

    private StsExchange Exchange() => new(_environment, NoInput.Files, TimeProvider.System, Fast);

    private void UseToken(string token)
    {
        _environment[EnvironmentNames.IdToken] = token;
        _leaks.Secret("ID token", token);
    }

    private void Keep(AwsSessionCredentials credentials)
    {
        _leaks.Secret("secret access key", credentials.SecretAccessKey);
        _leaks.Secret("session token", credentials.SessionToken);
        _leaks.Seen("credentials ToString", credentials.ToString());
    }
}
