using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto: the headers S3 serves each kind of file with.</summary>
public sealed class HeaderTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8", "no-cache")]
    [InlineData("about/index.html", "text/html; charset=utf-8", "no-cache")]
    [InlineData("assets/app.3f9a1c2b.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable")]
    [InlineData("assets/app.0a1b2c3d4e.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable")]
    [InlineData("images/logo.png", "image/png", "no-cache")]
    [InlineData("robots.txt", "text/plain; charset=utf-8", "no-cache")]
    public async Task Should_ServeTypeAndCachingByKind_When_Deployed(string key, string contentType, string cacheControl)
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");

        var head = await moto.S3.GetObjectMetadataAsync(bucket, key);

        Assert.Equal(contentType, head.Headers.ContentType);
        Assert.Equal(cacheControl, head.Headers.CacheControl);
    }

    [Fact]
    public async Task Should_FollowTheBuildManifestAndNeverUploadIt_When_TheSiteHasOne()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical()
            .With("images/logo.png", "logo bytes")
            .With(".keyless-build.json", """{"version":1,"files":{"images/logo.png":{"fingerprinted":true},"index.html":{"entryPoint":true}}}""");

        await moto.DeployAsync(bucket, site, "r1");

        var objects = await moto.ObjectsAsync(bucket);
        Assert.DoesNotContain(objects.Keys, k => k.Contains(".keyless-build", StringComparison.Ordinal));
        Assert.Equal("public, max-age=31536000, immutable", (await moto.S3.GetObjectMetadataAsync(bucket, "images/logo.png")).Headers.CacheControl);
    }
}
