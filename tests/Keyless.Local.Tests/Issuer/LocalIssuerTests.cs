using System.Runtime.Versioning;
using System.Text.Json;
using Keyless.Identity;
using Keyless.Local.Issuer;
using Keyless.Testing;
using Keyless.Trust.Evaluation;
using Microsoft.IdentityModel.Tokens;

namespace Keyless.Local.Tests.Issuer;

public sealed class LocalIssuerTests : IDisposable
{
    private readonly TempFolder _state = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _state.Dispose();
    }

    [Fact]
    public async Task Should_Answer_With_The_Instance_Id_Of_The_Issuer_It_Is()
    {
        // Given
        await using var issuer = await LocalIssuer.StartAsync(_state.Path);

        // When
        using var answer = await GetJson(issuer.Url + LocalIssuer.InstancePath);

        // Then
        Assert.Equal(issuer.InstanceId, answer.RootElement.GetProperty("instance").GetString());
        Assert.Matches("^http://127\\.0\\.0\\.1:[0-9]+$", issuer.Url);
        Assert.NotEqual(0, issuer.Port);
    }

    [Fact]
    public async Task Should_Serve_A_GitLab_Shaped_Discovery_Document_And_Jwks()
    {
        // Given
        await using var issuer = await LocalIssuer.StartAsync(_state.Path);

        // When
        using var discovery = await GetJson(issuer.Url + "/.well-known/openid-configuration");
        var jwksUri = discovery.RootElement.GetProperty("jwks_uri").GetString()!;
        var jwks = new JsonWebKeySet(await _http.GetStringAsync(jwksUri));

        // Then
        var root = discovery.RootElement;
        Assert.Equal(issuer.Url, root.GetProperty("issuer").GetString());
        Assert.Equal(issuer.Url + "/oauth/discovery/keys", jwksUri);
        Assert.Equal(["RS256"], root.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.TryGetProperty("response_types_supported", out _));
        Assert.True(root.TryGetProperty("subject_types_supported", out _));
        Assert.Contains("project_path", root.GetProperty("claims_supported").EnumerateArray().Select(e => e.GetString()));
        var key = Assert.Single(jwks.Keys);
        Assert.Equal(issuer.Key.KeyId, key.Kid);
        Assert.Equal("RSA", key.Kty);
        Assert.Equal("sig", key.Use);
        Assert.Equal(Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()), key.Kid);
    }

    [Fact]
    public async Task Should_Mint_A_Token_The_Verifier_Accepts_End_To_End()
    {
        // Given
        await using var issuer = await LocalIssuer.StartAsync(_state.Path);
        var minter = new LocalTokenMinter(issuer.Key);
        var token = minter.Mint(new MintRequest(issuer.Url, "acme/website", "main", RefType.Branch, "sts.amazonaws.com"));
        var verifier = new IdTokenVerifier(new JwksSource(_http));

        // When
        var result = await verifier.VerifyAsync(token, new OidcProvider(issuer.Url, ["sts.amazonaws.com"]));

        // Then
        Assert.True(result.Valid, result.Detail);
        Assert.Equal(issuer.Key.KeyId, result.KeyId);
        Assert.Equal("project_path:acme/website:ref_type:branch:ref:main", result.Claims!.Single("sub"));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Should_Keep_The_Key_Private_And_Reuse_It_On_The_Next_Start()
    {
        // Given
        string firstKid;
        await using (var first = await LocalIssuer.StartAsync(_state.Path))
        {
            firstKid = first.Key.KeyId;
            Assert.True(first.Key.Created);
        }

        // When
        await using var second = await LocalIssuer.StartAsync(_state.Path);

        // Then
        var keyFile = Path.Combine(_state.Path, IssuerKey.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.False(second.Key.Created);
        Assert.Equal(firstKid, second.Key.KeyId);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Should_Tighten_The_Key_File_Mode_When_Others_Could_Read_It()
    {
        // Given
        using (IssuerKey.LoadOrCreate(_state.Path))
        {
        }

        var keyFile = Path.Combine(_state.Path, IssuerKey.FileName);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        // When
        using var key = IssuerKey.LoadOrCreate(_state.Path);

        // Then
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
    }

    [Fact]
    public async Task Should_Record_Itself_While_Running_And_Remove_The_Record_When_Stopped()
    {
        // Given
        var issuer = await LocalIssuer.StartAsync(_state.Path);

        // When
        var running = IssuerRecord.FindRunning(_state.Path);
        await issuer.StopAsync();

        // Then
        Assert.Equal(issuer.Url, running.Url);
        Assert.Equal(Environment.ProcessId, running.ProcessId);
        Assert.Equal(issuer.InstanceId, running.Instance);
        Assert.Null(IssuerRecord.Read(_state.Path));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _http.GetStringAsync(issuer.Url + LocalIssuer.InstancePath));
    }

    [Fact]
    public async Task Should_Refuse_A_Second_Issuer_On_The_Same_State_Folder_And_Keep_The_First_Recorded()
    {
        // Given
        await using var first = await LocalIssuer.StartAsync(_state.Path);

        // When
        var error = await Assert.ThrowsAsync<Core.KeylessException>(() => LocalIssuer.StartAsync(_state.Path));

        // Then: the message names the running one; its record is intact and it still serves
        Assert.Equal(Core.FailureKind.UnusableInput, error.Kind);
        Assert.Contains(first.Url, error.Message, StringComparison.Ordinal);
        Assert.Contains($"process {Environment.ProcessId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("--state", error.Message, StringComparison.Ordinal);
        Assert.Equal(first.InstanceId, IssuerRecord.FindRunning(_state.Path).Instance);
        using var answer = await GetJson(first.Url + LocalIssuer.InstancePath);
        Assert.Equal(first.InstanceId, answer.RootElement.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Should_Start_Over_A_Record_Whose_Issuer_No_Longer_Answers()
    {
        // Given: the record of an issuer that was killed (same process ID, nothing listening at its URL)
        var stale = await LocalIssuer.StartAsync(_state.Path);
        var record = IssuerRecord.Read(_state.Path)!;
        await stale.StopAsync();
        File.WriteAllText(Path.Combine(_state.Path, IssuerRecord.FileName), JsonSerializer.Serialize(record));

        // When
        await using var issuer = await LocalIssuer.StartAsync(_state.Path);

        // Then
        Assert.Equal(issuer.InstanceId, IssuerRecord.FindRunning(_state.Path).Instance);
    }

    [Fact]
    public async Task Should_Answer_Not_Found_For_Other_Paths()
    {
        // Given
        await using var issuer = await LocalIssuer.StartAsync(_state.Path);

        // When
        using var response = await _http.GetAsync(issuer.Url + "/oauth/token");

        // Then
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<JsonDocument> GetJson(string url) => JsonDocument.Parse(await _http.GetStringAsync(url));
}
