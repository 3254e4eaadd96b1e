using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using Keyless.Local.Issuer;
using Keyless.Testing;

namespace Keyless.Local.Tests.Sts;

/// <summary>
/// Every attack from the threat list goes through the local STS, with the AWS SDK for .NET and with the
/// AWS CLI v1 as clients, and gets the error AWS would give — never credentials.
/// </summary>
[Collection(LocalCloudGroup.Name)]
public sealed class LocalStsAttackTests(LocalCloudFixture cloud)
{
    public static TheoryData<string> Attacks() =>
    [
        "alg-none", "hs256-with-public-key", "unknown-kid", "tampered-payload", "signed-by-another-key",
        "expired-beyond-skew", "nbf-in-the-future", "wrong-iss", "missing-aud", "wrong-aud",
        "malformed-base64", "malformed-json", "oversized", "jwks-unreachable", "another-project", "unprotected-feature-branch",
    ];

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Should_RefuseWithAwsError_When_AttackComesThroughTheSdk(string attack)
    {
        // Given
        var (token, code, role) = Attack(attack);

        // When
        var (credentials, error) = await cloud.AssumeWithSdkAsync(role, token);

        // Then
        Assert.Null(credentials);
        Assert.NotNull(error);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(code == "AccessDenied" ? 403 : 400, (int)error.StatusCode);
        AssertNoSecretsCaptured();
    }

    [Theory]
    [InlineData("alg-none")]
    [InlineData("signed-by-another-key")]
    [InlineData("expired-beyond-skew")]
    [InlineData("wrong-aud")]
    [InlineData("another-project")]
    [InlineData("unprotected-feature-branch")]
    public async Task Should_RefuseWithAwsError_When_AttackComesThroughTheAwsCliV1(string attack)
    {
        var (token, code, role) = Attack(attack);

        var (exit, output) = await AwsCliAsync(role, token);

        Assert.NotEqual(0, exit);
        Assert.Contains($"An error occurred ({code}) when calling the AssumeRoleWithWebIdentity operation", output, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretAccessKey", output, StringComparison.Ordinal);
        AssertNoSecretsCaptured();
    }

    [Fact]
    public async Task Should_IssueMotoCredentials_When_TokenIsForTheTrustedProjectAndRef()
    {
        var (credentials, error) = await cloud.AssumeWithSdkAsync(cloud.StagingRoleArn, cloud.Mint());

        Assert.Null(error);
        Assert.StartsWith("ASIA", credentials!.AccessKeyId, StringComparison.Ordinal);
        Assert.Contains(cloud.Decisions, d => d.Allowed && d.RoleArn == cloud.StagingRoleArn);
        AssertNoSecretsCaptured();
    }

    [Fact]
    public async Task Should_IssueCredentials_When_AwsCliV1AssumesWithAValidReleaseTagToken()
    {
        var (exit, output) = await AwsCliAsync(cloud.ProductionRoleArn, cloud.Mint(gitRef: "v1.0.0", type: RefType.Tag));

        Assert.True(exit == 0, output);
        Assert.Contains("\"AccessKeyId\": \"ASIA", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExplainTheFailedCondition_When_AccessIsDenied()
    {
        await cloud.AssumeWithSdkAsync(cloud.StagingRoleArn, cloud.Mint(gitRef: "feature/login", isProtected: false));

        var decision = cloud.Decisions.Last(d => d.Subject?.EndsWith("ref:feature/login", StringComparison.Ordinal) == true);
        Assert.Contains(":sub", decision.Detail, StringComparison.Ordinal);
        Assert.Contains("feature/login", decision.Detail, StringComparison.Ordinal);
        Assert.Contains("ref:main", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_RefuseWithValidationError_When_SessionNameOrDurationIsInvalid()
    {
        var (_, badName) = await cloud.AssumeWithSdkAsync(cloud.StagingRoleArn, cloud.Mint(), sessionName: "has space");
        var (_, tooLong) = await cloud.AssumeWithSdkAsync(cloud.StagingRoleArn, cloud.Mint(), duration: 7200);

        Assert.Equal("ValidationError", badName!.ErrorCode);
        Assert.Equal("ValidationError", tooLong!.ErrorCode);
        Assert.Contains("MaxSessionDuration", tooLong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_RefuseWithAccessDenied_When_RoleDoesNotExist()
    {
        var (_, error) = await cloud.AssumeWithSdkAsync("arn:aws:iam::123456789012:role/no-such-role", cloud.Mint());

        Assert.Equal("AccessDenied", error!.ErrorCode);
    }

    [Fact]
    public async Task Should_PassOtherRequestsThrough_When_TheyAreNotAssumeRoleWithWebIdentity()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(cloud.Sts.Url + "/"));
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=x/20300101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0");

        using var response = await cloud.Http.SendAsync(request);

        Assert.Contains("ListAllMyBucketsResult", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private (string Token, string Code, string Role) Attack(string name)
    {
        var issuer = cloud.Issuer.Key;
        var claims = cloud.Claims();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return name switch
        {
            "alg-none" => (cloud.Keep($"{Jwt.Segment(new Dictionary<string, object?> { ["alg"] = "none", ["typ"] = "JWT" })}.{Jwt.Segment(claims)}."), "InvalidIdentityToken", cloud.StagingRoleArn),
            "hs256-with-public-key" => (cloud.Keep(Jwt.SignHs256(Jwt.PublicKeyPem(issuer), Jwt.Header(issuer, "HS256"), claims)), "InvalidIdentityToken", cloud.StagingRoleArn),
            "unknown-kid" => (cloud.Keep(Jwt.Sign(issuer, claims, new Dictionary<string, object?> { ["alg"] = "RS256", ["kid"] = "no-such-key", ["typ"] = "JWT" })), "InvalidIdentityToken", cloud.StagingRoleArn),
            "tampered-payload" => (cloud.Keep(Tamper(Jwt.Sign(issuer, claims))), "InvalidIdentityToken", cloud.StagingRoleArn),
            "signed-by-another-key" => (cloud.Keep(Jwt.Sign(Keys.Attacker, claims, Jwt.Header(issuer))), "InvalidIdentityToken", cloud.StagingRoleArn),
            "expired-beyond-skew" => (With(issuer, claims, c => { c["iat"] = now - 7200; c["nbf"] = now - 7200; c["exp"] = now - 301; }), "ExpiredTokenException", cloud.StagingRoleArn),
            "nbf-in-the-future" => (With(issuer, claims, c => c["nbf"] = now + 900), "InvalidIdentityToken", cloud.StagingRoleArn),
            "wrong-iss" => (With(issuer, claims, c => c["iss"] = cloud.Issuer.Url + "/"), "InvalidIdentityToken", cloud.StagingRoleArn),
            "missing-aud" => (With(issuer, claims, c => c.Remove("aud")), "InvalidIdentityToken", cloud.StagingRoleArn),
            "wrong-aud" => (With(issuer, claims, c => c["aud"] = "https://gitlab.com"), "InvalidIdentityToken", cloud.StagingRoleArn),
            "malformed-base64" => (cloud.Keep("eyJ!!!.eyJ%%%.c2ln"), "InvalidIdentityToken", cloud.StagingRoleArn),
            "malformed-json" => (cloud.Keep($"{Jwt.Segment("{\"alg\":\"RS256\"")}.{Jwt.Segment("{not json")}.c2ln"), "InvalidIdentityToken", cloud.StagingRoleArn),
            "oversized" => (With(issuer, claims, c => c["padding"] = new string('x', 21_000)), "InvalidIdentityToken", cloud.StagingRoleArn),
            "jwks-unreachable" => (With(issuer, claims, c => c["iss"] = cloud.UnreachableIssuer), "InvalidIdentityToken", cloud.StagingRoleArn),
            "another-project" => (cloud.Mint(project: "acme-evil/website"), "AccessDenied", cloud.StagingRoleArn),
            "unprotected-feature-branch" => (cloud.Mint(gitRef: "feature/evil", isProtected: false), "AccessDenied", cloud.StagingRoleArn),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private string With(IssuerKey key, Dictionary<string, object?> claims, Action<Dictionary<string, object?>> change)
    {
        change(claims);
        return cloud.Keep(Jwt.Sign(key, claims));
    }

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("acme/website", "acme/websitf", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
    }

    private async Task<(int Exit, string Output)> AwsCliAsync(string role, string token)
    {
        var info = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "sts", "assume-role-with-web-identity", "--endpoint-url", cloud.Sts.Url, "--region", "us-east-1", "--output", "json", "--role-arn", role, "--role-session-name", "keyless-cli", "--web-identity-token", token })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var variable in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS" })
        {
            info.Environment.Remove(variable);
        }

        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        info.Environment["AWS_MAX_ATTEMPTS"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;

        // Successful runs print credentials by design (that is the CLI's job); only failures are scanned.
        if (process.ExitCode != 0)
        {
            cloud.Captured.Enqueue(output);
        }

        return (process.ExitCode, output);
    }

    private void AssertNoSecretsCaptured()
    {
        foreach (var decision in cloud.Decisions)
        {
            cloud.Captured.Enqueue(decision.Message + " " + decision.Detail);
        }

        var captured = string.Join("\n", cloud.Captured);
        foreach (var secret in cloud.Secrets)
        {
            Assert.False(captured.Contains(secret, StringComparison.Ordinal), "a token, secret key or session token appeared in captured output");
        }
    }
}
