using Keyless.Identity.Exchange;
using Keyless.Testing;

namespace Keyless.Identity.Tests.Exchange;

public sealed class ChildEnvironmentTests
{
    private static readonly AwsSessionCredentials Credentials = new(
        "ASIA-EXAMPLE-KEY-01",
        "secret/example",
        "session-example",
        DateTimeOffset.FromUnixTimeSeconds(1_893_456_900),
        "arn:aws:sts::111122223333:assumed-role/deploy/gitlab-1-2-3");

    [Fact]
    public void Should_Set_The_Credentials_And_Remove_The_Token_When_Preparing_A_Child()
    {
        // Given
        var environment = new MapEnvironment { [EnvironmentNames.DefaultRegion] = "eu-central-1" };

        // When
        var changes = ChildEnvironment.Changes(Credentials, environment, "MY_TOKEN");

        // Then
        Assert.Equal("ASIA-EXAMPLE-KEY-01", changes["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("secret/example", changes["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("session-example", changes["AWS_SESSION_TOKEN"]);
        Assert.Equal("2030-01-01T00:15:00Z", changes["AWS_CREDENTIAL_EXPIRATION"]);
        Assert.Equal("eu-central-1", changes["AWS_REGION"]);
        foreach (var removed in new[] { "MY_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_SECURITY_TOKEN" })
        {
            Assert.True(changes.ContainsKey(removed), removed);
            Assert.Null(changes[removed]);
        }
    }

    [Fact]
    public void Should_Leave_The_Region_Alone_When_None_Is_Configured()
    {
        Assert.False(ChildEnvironment.Changes(Credentials, new MapEnvironment(), EnvironmentNames.IdToken).ContainsKey("AWS_REGION"));
    }

    [Fact]
    public void Should_Not_Show_The_Secrets_When_Credentials_Are_Printed()
    {
        // Given
        var leaks = new Leaks();
        leaks.Secret("secret access key", Credentials.SecretAccessKey);
        leaks.Secret("session token", Credentials.SessionToken);

        // When
        var text = Credentials.ToString();
        leaks.Seen("credentials ToString", text);
        leaks.Seen("credentials interpolated", $"{Credentials}");

        // Then
        Assert.Contains("ASIA-EXAMPLE-KEY-01", text, StringComparison.Ordinal);
        Assert.Contains("SecretAccessKey = [REDACTED]", text, StringComparison.Ordinal);
        Assert.Contains("SessionToken = [REDACTED]", text, StringComparison.Ordinal);
        Assert.Contains("Expiration = 2030-01-01T00:15:00Z", text, StringComparison.Ordinal);
        leaks.AssertNone();
    }
}
