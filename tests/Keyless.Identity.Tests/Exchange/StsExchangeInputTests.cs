using Keyless.Core;
using Keyless.Identity.Exchange;
using Keyless.Testing;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>Input the exchange cannot use is refused before anything is sent (the endpoint below does not exist).</summary>
public sealed class StsExchangeInputTests
{
    private readonly MapEnvironment _environment = new()
    {
        [EnvironmentNames.EndpointUrlSts] = "http://127.0.0.1:9/",
        [EnvironmentNames.RoleArn] = "arn:aws:iam::111122223333:role/deploy",
    };

    private readonly Leaks _leaks = new();

    [Fact]
    public async Task Should_Ask_For_A_Role_When_None_Is_Named()
    {
        // Given
        _environment[EnvironmentNames.RoleArn] = null;
        UseToken(JobTokens.Sign());

        // When
        var error = await Refused(new ExchangeRequest());

        // Then
        Assert.Contains("No role to assume", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_ROLE_ARN", error.Message, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Name_The_Variable_When_Its_Role_Arn_Is_Malformed()
    {
        // Given
        _environment[EnvironmentNames.RoleArn] = "arn:aws:iam::111122223333:deploy";
        UseToken(JobTokens.Sign());

        // When
        var error = await Refused(new ExchangeRequest());

        // Then
        Assert.StartsWith("$AWS_ROLE_ARN \"arn:aws:iam::111122223333:deploy\" is not an IAM role ARN", error.Message, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Theory]
    [InlineData(899)]
    [InlineData(43_201)]
    public async Task Should_Refuse_A_Duration_Sts_Would_Refuse(int seconds)
    {
        // Given
        UseToken(JobTokens.Sign());

        // When
        var error = await Refused(new ExchangeRequest { DurationSeconds = seconds });

        // Then
        Assert.Contains($"Duration {seconds} s is outside what STS accepts", error.Message, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Say_Where_The_Token_Came_From_When_It_Is_Not_A_Jwt()
    {
        // Given
        UseToken("not-a-jwt-but-a-secret-nonetheless");

        // When
        var error = await Refused(new ExchangeRequest());

        // Then
        Assert.StartsWith("$KEYLESS_ID_TOKEN does not hold an ID token: The ID token is not a well-formed JWT", error.Message, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Name_The_Variable_When_The_Endpoint_Is_Not_A_Url()
    {
        // Given
        _environment[EnvironmentNames.EndpointUrlSts] = "localhost:5000";
        UseToken(JobTokens.Sign());

        // When
        var error = await Refused(new ExchangeRequest());

        // Then
        Assert.StartsWith("$AWS_ENDPOINT_URL_STS is \"localhost:5000\"", error.Message, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Report_The_Policy_File_When_It_Cannot_Be_Read_As_A_Trust_Policy()
    {
        // Given
        UseToken(JobTokens.Sign());
        var request = new ExchangeRequest { Policy = new TrustPolicyText("role.json", "{\"Version\": \"2012-10-17\"}") };

        // When
        var error = await Refused(request);

        // Then
        Assert.StartsWith("role.json: at $:", error.Message, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Fact]
    public void Should_Prefer_The_Sts_Endpoint_Over_The_General_One()
    {
        // Given
        _environment[EnvironmentNames.EndpointUrl] = "http://general.example";
        _environment[EnvironmentNames.Region] = "eu-west-3";

        // When
        var endpoint = new StsExchange(_environment, NoInput.Files, TimeProvider.System).Endpoint();

        // Then
        Assert.Equal(new StsEndpoint("http://127.0.0.1:9/", "eu-west-3"), endpoint);
    }

    [Fact]
    public void Should_Use_Aws_When_No_Endpoint_Is_Configured()
    {
        // Given
        var environment = new MapEnvironment();

        // When
        var endpoint = new StsExchange(environment, NoInput.Files, TimeProvider.System).Endpoint();

        // Then
        Assert.Equal(new StsEndpoint(null, "us-east-1"), endpoint);
    }

    private async Task<KeylessException> Refused(ExchangeRequest request)
    {
        var exchange = new StsExchange(_environment, NoInput.Files, FixedTimeProvider.AtUnixSeconds(Jwt.Now), new RetryPolicy { MaxAttempts = 1 });
        var error = await Assert.ThrowsAsync<KeylessException>(() => exchange.ExchangeAsync(request));
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        _leaks.Seen(error);
        return error;
    }

    private void UseToken(string token)
    {
        _environment[EnvironmentNames.IdToken] = token;
        _leaks.Secret("ID token", token);
    }
}
