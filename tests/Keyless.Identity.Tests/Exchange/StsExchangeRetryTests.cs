using Keyless.Core;
using Keyless.Identity.Exchange;
using Keyless.Testing;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>The exchange against a fake STS that answers with AWS's error documents: what is retried and what is not.</summary>
public sealed class StsExchangeRetryTests : IAsyncLifetime
{
    private const string Role = "arn:aws:iam::111122223333:role/deploy";
    private static readonly RetryPolicy Fast = new() { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(4) };

    private readonly MapEnvironment _environment = new();
    private readonly Leaks _leaks = new();
    private readonly List<RetryNotice> _retries = [];
    private FakeSts _sts = null!;

    public async Task InitializeAsync()
    {
        _sts = await FakeSts.StartAsync();
        _environment[EnvironmentNames.EndpointUrlSts] = _sts.Url;
        _environment[EnvironmentNames.RoleArn] = Role;
        _leaks.Secret("secret access key", _sts.SecretAccessKey);
        _leaks.Secret("session token", _sts.SessionToken);
    }

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Fact]
    public async Task Should_Succeed_On_The_Third_Call_When_Throttled_Twice()
    {
        // Given
        UseToken(JobTokens.Sign());
        _sts.Enqueue(FakeAnswer.Throttling, FakeAnswer.Throttling);

        // When
        var credentials = await Exchange().ExchangeAsync(new ExchangeRequest());

        // Then
        Assert.Equal(3, _sts.Calls.Count);
        Assert.Equal(["Throttling", "Throttling"], _retries.Select(r => r.Failure.Code));
        Assert.Equal([1, 2], _retries.Select(r => r.Attempt));
        Assert.Equal(FakeSts.AccessKeyId, credentials.AccessKeyId);
        Assert.Equal(_sts.SecretAccessKey, credentials.SecretAccessKey);
        Assert.Equal(_sts.SessionToken, credentials.SessionToken);
        Assert.Equal(_sts.Expiration, credentials.Expiration);
        _leaks.Seen("credentials ToString", credentials.ToString());
        _leaks.AssertNone();
    }

    [Theory]
    [InlineData(400, "Throttling")]
    [InlineData(400, "ThrottlingException")]
    [InlineData(400, "RequestLimitExceeded")]
    [InlineData(400, "IDPCommunicationError")]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(500, "InternalFailure")]
    public async Task Should_Retry_When_The_Error_Is_Temporary(int status, string code)
    {
        // Given
        UseToken(JobTokens.Sign());
        _sts.Enqueue(FakeAnswer.Error(status, code, "try again", status >= 500 ? "Receiver" : "Sender"));

        // When
        var credentials = await Exchange().ExchangeAsync(new ExchangeRequest());

        // Then
        Assert.Equal(2, _sts.Calls.Count);
        Assert.Equal(code, Assert.Single(_retries).Failure.Code);
        Assert.Equal(FakeSts.AccessKeyId, credentials.AccessKeyId);
        _leaks.Seen("credentials ToString", credentials.ToString());
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Retry_When_A_503_Has_No_Error_Document()
    {
        // Given: a load balancer's plain answer, not AWS's XML
        UseToken(JobTokens.Sign());
        _sts.Enqueue(new FakeAnswer(503, "Service Unavailable"));

        // When
        var credentials = await Exchange().ExchangeAsync(new ExchangeRequest());

        // Then
        Assert.Equal(2, _sts.Calls.Count);
        Assert.Equal(503, Assert.Single(_retries).Failure.HttpStatus);
        _leaks.Seen("credentials ToString", credentials.ToString());
        _leaks.AssertNone();
    }

    [Theory]
    [InlineData(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")]
    [InlineData(400, "InvalidIdentityToken", "No OpenIDConnect provider found in your account for https://gitlab.com")]
    [InlineData(400, "ExpiredTokenException", "Token expired: current date/time 1893460000 must be before the expiration date/time1893459600")]
    [InlineData(400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")]
    public async Task Should_Fail_After_One_Call_When_Another_Attempt_Cannot_Help(int status, string code, string message)
    {
        // Given
        var token = UseToken(JobTokens.Sign());
        _sts.Enqueue(FakeAnswer.Error(status, code, message), FakeAnswer.Error(status, code, message));

        // When
        var error = await Assert.ThrowsAsync<KeylessException>(() => Exchange().ExchangeAsync(new ExchangeRequest()));

        // Then
        Assert.Single(_sts.Calls);
        Assert.Empty(_retries);
        Assert.Equal(FailureKind.Failed, error.Kind);
        Assert.Contains($"{code} (HTTP {status}): {message.TrimEnd('.')}", error.Message, StringComparison.Ordinal);
        Assert.Contains(Role, error.Message, StringComparison.Ordinal);
        Assert.Contains("sub \"project_path:acme/website:ref_type:branch:ref:main\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("aud \"https://gitlab.com\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("iss \"https://gitlab.com\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("exp 2030-01-01 01:00:00 UTC", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, error.Message, StringComparison.Ordinal);
        _leaks.Seen(error);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Say_How_To_Get_The_Explanation_When_Access_Is_Denied_Without_A_Policy()
    {
        // Given
        UseToken(JobTokens.Sign("feature/login"));
        _sts.Enqueue(FakeAnswer.Error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));

        // When
        var error = await Assert.ThrowsAsync<KeylessException>(() => Exchange().ExchangeAsync(new ExchangeRequest()));

        // Then
        Assert.Contains("AccessDenied (HTTP 403): Not authorized to perform sts:AssumeRoleWithWebIdentity", error.Message, StringComparison.Ordinal);
        Assert.Contains("--policy FILE", error.Message, StringComparison.Ordinal);
        Assert.Contains("aws iam get-role --role-name deploy", error.Message, StringComparison.Ordinal);
        Assert.Contains("keyless trust simulate", error.Message, StringComparison.Ordinal);
        _leaks.Seen(error);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Name_The_Failed_Condition_When_Access_Is_Denied_With_The_Policy_At_Hand()
    {
        // Given: a role that admits main only, and a feature-branch token
        UseToken(JobTokens.Sign("feature/login"));
        _sts.Enqueue(FakeAnswer.Error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        var request = new ExchangeRequest { Policy = ExamplePolicy("good-main-branch.json") };

        // When
        var error = await Assert.ThrowsAsync<KeylessException>(() => Exchange().ExchangeAsync(request));

        // Then
        Assert.Single(_sts.Calls);
        Assert.Equal(FailureKind.Failed, error.Kind);
        var message = error.Message;
        Assert.Contains("DeployStagingFromMain", message, StringComparison.Ordinal);
        Assert.Contains("✗ StringEquals gitlab.com:sub \"project_path:acme/website:ref_type:branch:ref:main\"", message, StringComparison.Ordinal);
        Assert.Contains("\"project_path:acme/website:ref_type:branch:ref:feature/login\" matches none of \"project_path:acme/website:ref_type:branch:ref:main\"", message, StringComparison.Ordinal);
        Assert.Contains("✗ StringEquals gitlab.com:ref_protected \"true\"", message, StringComparison.Ordinal);
        Assert.Contains("fix: run the job where sub is \"project_path:acme/website:ref_type:branch:ref:main\"", message, StringComparison.Ordinal);
        Assert.DoesNotContain("✗ StringEquals gitlab.com:project_id", message, StringComparison.Ordinal);
        _leaks.Seen(error);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Say_The_Policy_Differs_When_The_Policy_At_Hand_Allows_The_Token()
    {
        // Given: AWS denies a token the local policy admits
        UseToken(JobTokens.Sign("main"));
        _sts.Enqueue(FakeAnswer.Error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        var request = new ExchangeRequest { Policy = ExamplePolicy("good-main-branch.json") };

        // When
        var error = await Assert.ThrowsAsync<KeylessException>(() => Exchange().ExchangeAsync(request));

        // Then
        Assert.Contains("allows this token when evaluated locally", error.Message, StringComparison.Ordinal);
        Assert.Contains("aws iam get-role --role-name deploy", error.Message, StringComparison.Ordinal);
        _leaks.Seen(error);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Give_Up_After_The_Last_Attempt_When_Throttling_Persists()
    {
        // Given
        UseToken(JobTokens.Sign());
        _sts.Enqueue(Enumerable.Repeat(FakeAnswer.Throttling, 10).ToArray());

        // When
        var error = await Assert.ThrowsAsync<KeylessException>(() => Exchange().ExchangeAsync(new ExchangeRequest()));

        // Then
        Assert.Equal(Fast.MaxAttempts, _sts.Calls.Count);
        Assert.Equal(Fast.MaxAttempts - 1, _retries.Count);
        Assert.Equal(FailureKind.Failed, error.Kind);
        Assert.Contains("after 5 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains("5: Throttling (HTTP 400): Rate exceeded", error.Message, StringComparison.Ordinal);
        _leaks.Seen(error);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Retry_When_The_Connection_Fails()
    {
        // Given: an endpoint where nothing listens
        UseToken(JobTokens.Sign());
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        _environment[EnvironmentNames.EndpointUrlSts] = $"http://127.0.0.1:{port}/";

        // When
        var error = await Assert.ThrowsAsync<KeylessException>(() => Exchange().ExchangeAsync(new ExchangeRequest()));

        // Then
        Assert.Equal(Fast.MaxAttempts - 1, _retries.Count);
        Assert.All(_retries, r => Assert.Equal(StsFailure.ConnectionFailure, r.Failure.Code));
        Assert.Contains("after 5 attempts", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at http://127.0.0.1:{port}/", error.Message, StringComparison.Ordinal);
        _leaks.Seen(error);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Read_The_Token_File_Again_When_Retrying()
    {
        // Given: the job refreshes the token file while the first attempt is throttled
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "token");
        var first = JobTokens.Sign();
        var refreshed = JobTokens.Sign(JobTokens.Claims(now: Jwt.Now + 60));
        _leaks.Secret("first token", first);
        _leaks.Secret("refreshed token", refreshed);
        await File.WriteAllTextAsync(file, first + "\n");
        _environment[EnvironmentNames.WebIdentityTokenFile] = file;
        _sts.Enqueue(FakeAnswer.Throttling);
        _sts.BeforeAnswer = call =>
        {
            if (call.Number == 1)
            {
                File.WriteAllText(file, refreshed);
            }
        };

        // When
        var credentials = await Exchange().ExchangeAsync(new ExchangeRequest());

        // Then
        Assert.Equal([first, refreshed], _sts.Calls.Select(c => c.Form["WebIdentityToken"]));
        _leaks.Seen("credentials ToString", credentials.ToString());
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Send_A_Session_Name_That_Leads_Back_To_The_Job()
    {
        // Given
        UseToken(JobTokens.Sign());

        // When
        var credentials = await Exchange().ExchangeAsync(new ExchangeRequest { DurationSeconds = 1800 });

        // Then
        var form = Assert.Single(_sts.Calls).Form;
        Assert.Equal("gitlab-27182818-1414213562-1732050807", form["RoleSessionName"]);
        Assert.Equal("1800", form["DurationSeconds"]);
        Assert.Equal(Role, form["RoleArn"]);
        Assert.Equal(FakeSts.AssumedRoleArn + "gitlab-27182818-1414213562-1732050807", credentials.AssumedRoleArn);
        _leaks.Seen("credentials ToString", credentials.ToString());
        _leaks.AssertNone();
    }

    private StsExchange Exchange() =>
        new(_environment, NoInput.Files, FixedTimeProvider.AtUnixSeconds(Jwt.Now), Fast) { OnRetry = _retries.Add };

    private string UseToken(string token)
    {
        _environment[EnvironmentNames.IdToken] = token;
        _leaks.Secret("ID token", token);
        return token;
    }

    private static TrustPolicyText ExamplePolicy(string name)
    {
        var path = Repository.Path(Path.Combine("examples", "trust", name));
        return new TrustPolicyText(path, File.ReadAllText(path));
    }
}
