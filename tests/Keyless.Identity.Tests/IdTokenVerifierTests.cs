using System.Net;
using System.Net.Sockets;
using Keyless.Core;
using Keyless.Testing;
using Keyless.Trust.Evaluation;

namespace Keyless.Identity.Tests;

public sealed class IdTokenVerifierTests : IDisposable
{
    private static readonly OidcProvider Provider = new(Jwt.Issuer, [Jwt.Audience]);
    private readonly FakeIdentityProvider _idp = new();

    public void Dispose() => _idp.Dispose();

    [Fact]
    public async Task Should_Accept_When_Token_Is_Signed_By_The_Published_Key()
    {
        // Given
        var token = Jwt.Sign(Keys.Issuer, Jwt.Claims());

        // When
        var result = await Verify(token);

        // Then
        Assert.True(result.Valid, result.Detail);
        Assert.Null(result.Error);
        Assert.Equal(Keys.Issuer.KeyId, result.KeyId);
        Assert.Equal("project_path:acme/website:ref_type:branch:ref:main", result.Claims!.Single("sub"));
        AssertNoToken(result, token);
    }

    [Fact]
    public async Task Should_Reject_When_Alg_Is_None()
    {
        // Given: an unsigned token with an empty signature
        var header = new Dictionary<string, object?> { ["alg"] = "none", ["typ"] = "JWT" };
        var token = $"{Jwt.Segment(header)}.{Jwt.Segment(Jwt.Claims())}.";

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotValidate);
        Assert.Contains("unsigned", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _idp.JwksRequests);
    }

    [Theory]
    [InlineData("HS256")]
    [InlineData("HS384")]
    [InlineData("HS512")]
    public async Task Should_Reject_When_Token_Is_Hmac_Signed_With_The_Public_Key(string alg)
    {
        // Given: the key-confusion attack, HMAC keyed with the provider's public key
        var token = Jwt.SignHs256(Jwt.PublicKeyPem(Keys.Issuer), Jwt.Header(Keys.Issuer, alg), Jwt.Claims());

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotValidate);
        Assert.Contains("HMAC", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Reject_After_One_Refetch_When_Kid_Is_Unknown()
    {
        // Given: a token signed by a key the provider never published, under its own kid
        var token = Jwt.Sign(Keys.Attacker, Jwt.Claims());

        // When
        var result = await Verify(token);

        // Then: the JWKS was fetched once more before giving up
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotValidate);
        Assert.Contains(Keys.Attacker.KeyId, result.Detail, StringComparison.Ordinal);
        Assert.Equal(2, _idp.JwksRequests);
    }

    [Fact]
    public async Task Should_Accept_The_New_Key_When_The_Provider_Rotates()
    {
        // Given: the old key set is cached, then the provider rotates
        var verifier = Verifier();
        Assert.True((await verifier.VerifyAsync(Jwt.Sign(Keys.Issuer, Jwt.Claims()), Provider)).Valid);
        _idp.Published = [Keys.Rotated];
        var token = Jwt.Sign(Keys.Rotated, Jwt.Claims());

        // When
        var result = await verifier.VerifyAsync(token, Provider);

        // Then: one refetch found the new key
        Assert.True(result.Valid, result.Detail);
        Assert.Equal(Keys.Rotated.KeyId, result.KeyId);
        Assert.Equal(2, _idp.JwksRequests);
    }

    [Fact]
    public async Task Should_Reject_When_Payload_Is_Tampered()
    {
        // Given: a valid token whose payload is swapped for one naming another project
        var token = Jwt.Sign(Keys.Issuer, Jwt.Claims());
        var claims = Jwt.Claims();
        claims["sub"] = "project_path:acme/other:ref_type:branch:ref:main";
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{Jwt.Segment(claims)}.{parts[2]}";

        // When
        var result = await Verify(tampered);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, tampered, StsMessages.CouldNotValidate);
        Assert.Contains("signature does not verify", result.Detail, StringComparison.Ordinal);
        AssertNoToken(result, token);
    }

    [Fact]
    public async Task Should_Reject_When_Another_Key_Signs_Under_The_Published_Kid()
    {
        // Given: a valid signature, but by a key that is not the one the kid names
        var token = Jwt.Sign(Keys.Attacker, Jwt.Claims(), Jwt.Header(Keys.Issuer));

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotValidate);
        Assert.Contains("signature does not verify", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Ignore_Keys_And_Key_Urls_The_Token_Brings_Along()
    {
        // Given: the attacker's key embedded (jwk) and pointed at (jku, x5u) in the header
        var header = Jwt.Header(Keys.Attacker);
        header["jwk"] = Keys.Attacker.PublicJwk();
        header["jku"] = Jwt.Issuer + "/attacker/jwks.json";
        header["x5u"] = Jwt.Issuer + "/attacker/cert.pem";
        var token = Jwt.Sign(Keys.Attacker, Jwt.Claims(), header);

        // When
        var result = await Verify(token);

        // Then: only the provider's own JWKS was consulted
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotValidate);
        Assert.Equal(0, _idp.OtherRequests);
        Assert.Equal(2, _idp.JwksRequests);
    }

    [Fact]
    public async Task Should_Report_ExpiredTokenException_When_Expired_Beyond_The_Skew()
    {
        // Given: exp five minutes and one second ago
        var claims = Jwt.Claims(Jwt.Now - 3600 - 301);
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then: AWS's own text, no space before the expiry included
        var exp = (long)claims["exp"]!;
        AssertRejected(result, DecisionCode.ExpiredTokenException, token, $"Token expired: current date/time {Jwt.Now} must be before the expiration date/time{exp}");
    }

    [Fact]
    public async Task Should_Accept_When_Expired_Within_The_Skew()
    {
        // Given: exp exactly five minutes ago, the edge AWS still accepts
        var token = Jwt.Sign(Keys.Issuer, Jwt.Claims(Jwt.Now - 3600 - 300));

        // When
        var result = await Verify(token);

        // Then
        Assert.True(result.Valid, result.Detail);
        Assert.Contains("within AWS's five-minute skew", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Reject_When_Nbf_Is_More_Than_Five_Minutes_Ahead()
    {
        // Given
        var claims = Jwt.Claims();
        claims["nbf"] = Jwt.Now + 301;
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.NotYetValid);
    }

    [Fact]
    public async Task Should_Accept_When_Nbf_Is_Ahead_Within_The_Skew()
    {
        // Given
        var claims = Jwt.Claims();
        claims["nbf"] = Jwt.Now + 300;
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then
        Assert.True(result.Valid, result.Detail);
    }

    [Fact]
    public async Task Should_Reject_When_Iat_Is_More_Than_Five_Minutes_Ahead()
    {
        // Given
        var claims = Jwt.Claims();
        claims["iat"] = Jwt.Now + 301;
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.IssuedInFuture);
    }

    [Fact]
    public async Task Should_Find_No_Provider_When_Iss_Has_A_Trailing_Slash()
    {
        // Given
        var claims = Jwt.Claims();
        claims["iss"] = Jwt.Issuer + "/";
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, "No OpenIDConnect provider found in your account for https://gitlab.example.com/");
        Assert.Equal(0, _idp.JwksRequests);
    }

    [Fact]
    public async Task Should_Report_Missing_Aud_When_The_Token_Has_None()
    {
        // Given
        var claims = Jwt.Claims();
        claims.Remove("aud");
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, "Missing a required claim: aud");
    }

    [Fact]
    public async Task Should_Report_Incorrect_Audience_When_Aud_Is_Not_A_Client_Id()
    {
        // Given
        var claims = Jwt.Claims();
        claims["aud"] = "https://gitlab.example.com";
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, "Incorrect token audience");
    }

    [Fact]
    public async Task Should_Accept_When_One_Of_Several_Audiences_Is_A_Client_Id()
    {
        // Given
        var claims = Jwt.Claims();
        claims["aud"] = new[] { "https://vault.example.com", Jwt.Audience };
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then
        Assert.True(result.Valid, result.Detail);
    }

    [Theory]
    [InlineData("not-a-jwt-at-all-just-some-text")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.!!not~base64!!.c2lnbmF0dXJl")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24gYXQgYWxs.c2lnbmF0dXJl")]
    [InlineData("WyJhbiIsImFycmF5Il0.eyJpc3MiOiJ4In0.c2lnbmF0dXJl")]
    [InlineData("a.b.c.d.e")]
    public async Task Should_Reject_As_Invalid_When_The_Token_Is_Malformed(string token)
    {
        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotValidate);
        Assert.StartsWith("The ID token is not a well-formed JWT", result.Detail, StringComparison.Ordinal);
        Assert.Null(result.Claims);
    }

    [Fact]
    public async Task Should_Reject_When_The_Token_Is_Longer_Than_Aws_Accepts()
    {
        // Given: a properly signed token padded past 20,000 characters
        var claims = Jwt.Claims();
        claims["padding"] = new string('x', 15_000);
        var token = Jwt.Sign(Keys.Issuer, claims);
        Assert.True(token.Length > IdTokenVerifier.MaxTokenLength);

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.TokenTooLong);
        Assert.Equal(0, _idp.JwksRequests);
    }

    [Fact]
    public async Task Should_Say_The_Key_Could_Not_Be_Retrieved_When_The_Issuer_Is_Unreachable()
    {
        // Given: an issuer on a port nothing listens on
        var issuer = $"http://127.0.0.1:{ClosedPort()}";
        var claims = Jwt.Claims();
        claims["iss"] = issuer;
        var token = Jwt.Sign(Keys.Issuer, claims);
        using var http = new HttpClient();
        var verifier = new IdTokenVerifier(new JwksSource(http), FixedTimeProvider.AtUnixSeconds(Jwt.Now));

        // When
        var result = await verifier.VerifyAsync(token, new OidcProvider(issuer, [Jwt.Audience]));

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotRetrieveKey);
        Assert.Contains("could not be reached", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Say_The_Key_Could_Not_Be_Retrieved_When_The_Jwks_Answers_Too_Slowly()
    {
        // Given
        _idp.JwksDelay = TimeSpan.FromSeconds(30);
        var verifier = new IdTokenVerifier(new JwksSource(_idp.Client(), timeout: TimeSpan.FromMilliseconds(200)), FixedTimeProvider.AtUnixSeconds(Jwt.Now));
        var token = Jwt.Sign(Keys.Issuer, Jwt.Claims());

        // When
        var result = await verifier.VerifyAsync(token, Provider);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotRetrieveKey);
        Assert.Contains("did not answer within", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Say_The_Key_Could_Not_Be_Retrieved_When_The_Jwks_Answers_An_Error()
    {
        // Given
        _idp.JwksStatus = HttpStatusCode.ServiceUnavailable;
        var token = Jwt.Sign(Keys.Issuer, Jwt.Claims());

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, StsMessages.CouldNotRetrieveKey);
        Assert.Contains("HTTP 503", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Report_Missing_Exp_When_The_Token_Has_None()
    {
        // Given
        var claims = Jwt.Claims();
        claims.Remove("exp");
        var token = Jwt.Sign(Keys.Issuer, claims);

        // When
        var result = await Verify(token);

        // Then
        AssertRejected(result, DecisionCode.InvalidIdentityToken, token, "Missing a required claim: exp");
    }

    [Fact]
    public async Task Should_Verify_Against_A_Jwks_File_When_One_Is_Given()
    {
        // Given
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "jwks.json");
        await File.WriteAllTextAsync(file, Jwt.Jwks(Keys.Issuer));
        var token = Jwt.Sign(Keys.Issuer, Jwt.Claims());

        // When: named relative to the working folder the source reads files from
        var verifier = new IdTokenVerifier(new JwksSource(_idp.Client(), files: new InputFiles(folder.Path, TextReader.Null)), FixedTimeProvider.AtUnixSeconds(Jwt.Now));
        var result = await verifier.VerifyAsync(token, Provider, JwksLocation.FromFile(Path.GetFileName(file)));

        // Then
        Assert.True(result.Valid, result.Detail);
        Assert.Equal(0, _idp.DiscoveryRequests);
    }

    internal static void AssertNoToken(IdTokenVerification result, string token)
    {
        foreach (var text in new[] { result.Message, result.Detail })
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            foreach (var segment in token.Split('.').Where(s => s.Length >= 8))
            {
                Assert.DoesNotContain(segment, text, StringComparison.Ordinal);
            }
        }
    }

    private static void AssertRejected(IdTokenVerification result, DecisionCode code, string token, string message)
    {
        Assert.False(result.Valid);
        Assert.Equal(code, result.Error);
        Assert.Equal(message, result.Message);
        AssertNoToken(result, token);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private IdTokenVerifier Verifier(long now = Jwt.Now) =>
        new(new JwksSource(_idp.Client()), FixedTimeProvider.AtUnixSeconds(now));

    private Task<IdTokenVerification> Verify(string token) => Verifier().VerifyAsync(token, Provider);
}
