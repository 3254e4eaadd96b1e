using Keyless.Core;
using Keyless.Identity.Tests.Support;
using Keyless.Testing;

namespace Keyless.Identity.Tests;

public sealed class JwksSourceTests : IDisposable
{
    private readonly FakeIdentityProvider _idp = new();

    public void Dispose() => _idp.Dispose();

    [Fact]
    public async Task Should_Find_The_Jwks_Through_The_Discovery_Document()
    {
        // Given
        var source = new JwksSource(_idp.Client());

        // When
        var document = await source.GetAsync(JwksLocation.Discover(Jwt.Issuer));

        // Then
        Assert.Equal(_idp.JwksUrl, document.Origin);
        Assert.Equal([Keys.Issuer.KeyId], document.KeyIds);
        Assert.Equal(1, _idp.DiscoveryRequests);
    }

    [Fact]
    public async Task Should_Serve_From_Cache_Until_The_Ttl_Passes()
    {
        // Given
        var clock = new ManualTimeProvider(Jwt.Now);
        var source = new JwksSource(_idp.Client(), clock);
        var location = JwksLocation.Discover(Jwt.Issuer);
        await source.GetAsync(location);

        // When: within the ten minutes, then after them
        var cached = await source.GetAsync(location);
        clock.Advance(JwksSource.DefaultTtl + TimeSpan.FromSeconds(1));
        var fresh = await source.GetAsync(location);

        // Then
        Assert.True(cached.FromCache);
        Assert.False(fresh.FromCache);
        Assert.Equal(2, _idp.JwksRequests);
        Assert.Equal(2, _idp.DiscoveryRequests);
    }

    [Fact]
    public async Task Should_Bypass_The_Cache_When_Asked_To_Refresh()
    {
        // Given
        var source = new JwksSource(_idp.Client());
        var location = JwksLocation.FromUrl(_idp.JwksUrl);
        await source.GetAsync(location);

        // When
        var refreshed = await source.GetAsync(location, refresh: true);

        // Then
        Assert.False(refreshed.FromCache);
        Assert.Equal(2, _idp.JwksRequests);
    }

    [Fact]
    public async Task Should_Be_Unavailable_When_Discovery_Has_No_Jwks_Uri()
    {
        // Given
        _idp.DiscoveryOverride = """{"issuer":"https://gitlab.example.com"}""";
        var source = new JwksSource(_idp.Client());

        // When
        var error = await Assert.ThrowsAsync<JwksUnavailableException>(() => source.GetAsync(JwksLocation.Discover(Jwt.Issuer)));

        // Then
        Assert.Contains("has no jwks_uri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Be_An_Input_Error_When_The_Jwks_File_Is_Missing()
    {
        // Given
        var source = new JwksSource(_idp.Client(), files: new InputFiles(Path.GetTempPath(), TextReader.Null));

        // When
        var error = await Assert.ThrowsAsync<KeylessException>(() => source.GetAsync(JwksLocation.FromFile("/nonexistent/jwks.json")));

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains("no such file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://gitlab.com/oauth/discovery/keys", JwksLocationKind.Url)]
    [InlineData("http://127.0.0.1:8080/keys", JwksLocationKind.Url)]
    [InlineData("saved/jwks.json", JwksLocationKind.File)]
    public void Should_Tell_Urls_From_Files(string value, JwksLocationKind kind) =>
        Assert.Equal(kind, JwksLocation.Parse(value).Kind);

    [Theory]
    [InlineData("https://gitlab.com", "https://gitlab.com/.well-known/openid-configuration")]
    [InlineData("https://gitlab.com/", "https://gitlab.com/.well-known/openid-configuration")]
    [InlineData("https://example.com/gitlab", "https://example.com/gitlab/.well-known/openid-configuration")]
    public void Should_Place_Discovery_Under_The_Issuer(string issuer, string expected) =>
        Assert.Equal(expected, JwksLocation.DiscoveryUrl(issuer));
}
