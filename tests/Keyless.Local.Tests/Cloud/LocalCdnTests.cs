using System.Net;
using Amazon.S3.Model;
using Keyless.Local.Cloud;

namespace Keyless.Local.Tests.Cloud;

/// <summary>The local CloudFront stand-in serves a bucket as the CDK distribution does.</summary>
public sealed class LocalCdnTests : IAsyncLifetime
{
    private MotoServer _moto = null!;

    public async Task InitializeAsync() => _moto = await MotoServer.StartAsync();

    public async Task DisposeAsync() => await _moto.DisposeAsync();

    [Fact]
    public async Task Should_ServeIndexPagesObjectsAnd404WithSecurityHeaders_When_ABucketHoldsASite()
    {
        // Given
        using var s3 = LocalCloudClients.S3(_moto.Url);
        await s3.PutBucketAsync("cdn-test");
        foreach (var (key, body, type, cache) in new[]
        {
            ("index.html", "<h1>home</h1>", "text/html; charset=utf-8", "no-cache"),
            ("docs/index.html", "<h1>docs</h1>", "text/html; charset=utf-8", "no-cache"),
            ("404.html", "<h1>not here</h1>", "text/html; charset=utf-8", "no-cache"),
            ("assets/app.3f9a1c2b.css", "body{}", "text/css; charset=utf-8", "public, max-age=31536000, immutable"),
        })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "cdn-test", Key = key, ContentBody = body, ContentType = type, Headers = { CacheControl = cache }, UseChunkEncoding = false });
        }

        await using var cdn = await LocalCdn.StartAsync(s3, "cdn-test");
        using var http = new HttpClient { BaseAddress = new Uri(cdn.Url) };

        // When
        using var root = await http.GetAsync("/");
        using var docs = await http.GetAsync("/docs");
        using var css = await http.GetAsync("/assets/app.3f9a1c2b.css");
        using var missing = await http.GetAsync("/nowhere.html");
        using var records = await http.GetAsync("/.keyless/current.json");

        // Then
        Assert.Equal("<h1>home</h1>", await root.Content.ReadAsStringAsync());
        Assert.Equal("<h1>docs</h1>", await docs.Content.ReadAsStringAsync());
        Assert.Equal("public, max-age=31536000, immutable", css.Headers.CacheControl!.ToString());
        Assert.Equal("text/css; charset=utf-8", css.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("<h1>not here</h1>", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, records.StatusCode);
        Assert.Equal("DENY", root.Headers.GetValues("X-Frame-Options").Single());
        Assert.StartsWith("default-src 'self'", root.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("max-age=", root.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }
}
