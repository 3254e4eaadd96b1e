using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Tests.Support;

namespace Keyless.Deploy.Tests;

/// <summary>What each file is, what it is served with, and what a scan of the site folder holds.</summary>
public sealed class ClassificationTests
{
    [Theory]
    [InlineData("assets/app.3f9a1c2b.css", FileKind.Fingerprinted)]
    [InlineData("chunk-0a1b2c3d4e5f.js", FileKind.Fingerprinted)]
    [InlineData("fonts/inter.3F9A1C2B.woff2", FileKind.Fingerprinted)]
    [InlineData("index.html", FileKind.EntryPoint)]
    [InlineData("3f9a1c2b.html", FileKind.EntryPoint)]
    [InlineData("robots.txt", FileKind.EntryPoint)]
    [InlineData("sitemap.xml", FileKind.EntryPoint)]
    [InlineData("manifest.webmanifest", FileKind.EntryPoint)]
    [InlineData("images/logo.png", FileKind.EntryPoint)]
    [InlineData("app.3f9a1c2.css", FileKind.EntryPoint)]
    [InlineData("deadbeefcafe.css", FileKind.EntryPoint)]
    [InlineData("app3f9a1c2b.css", FileKind.EntryPoint)]
    public void Should_ClassifyByHashSegment_When_NoBuildManifestSays(string path, FileKind kind)
    {
        Assert.Equal(kind, Fingerprints.Classify(path));
    }

    [Theory]
    [InlineData("index.html", "text/html; charset=utf-8")]
    [InlineData("assets/app.3f9a1c2b.css", "text/css; charset=utf-8")]
    [InlineData("app.js", "text/javascript; charset=utf-8")]
    [InlineData("data.json", "application/json; charset=utf-8")]
    [InlineData("icon.svg", "image/svg+xml; charset=utf-8")]
    [InlineData("manifest.webmanifest", "application/manifest+json; charset=utf-8")]
    [InlineData("app.js.map", "application/json; charset=utf-8")]
    [InlineData("logo.png", "image/png")]
    [InlineData("font.woff2", "font/woff2")]
    [InlineData("module.wasm", "application/wasm")]
    [InlineData("LICENSE", "application/octet-stream")]
    public void Should_GiveTextTypesACharset_When_TypeIsLookedUp(string path, string type)
    {
        Assert.Equal(type, ContentTypes.For(path));
    }

    /// <summary>
    /// Differential: every type the table gives agrees with ASP.NET Core's extension map (an independent, widely used
    /// table), except where that map lacks the extension or keeps a legacy alias of the IANA-registered type.
    /// </summary>
    [Fact]
    public void Should_AgreeWithAspNetCoresMap_When_ItKnowsTheExtensionByItsRegisteredType()
    {
        string[] iana = [".woff", ".ttf", ".zip", ".gz", ".map", ".ogg"];
        var peer = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider().Mappings;

        var disagreements = ContentTypes.ByExtension
            .Where(e => peer.TryGetValue(e.Key, out var theirs) && theirs != e.Value && !iana.Contains(e.Key))
            .Select(e => $"{e.Key}: {e.Value} vs {peer[e.Key]}")
            .ToList();

        Assert.Empty(disagreements);
        Assert.All(iana, extension => Assert.NotEqual(peer.TryGetValue(extension, out var theirs) ? theirs : null, ContentTypes.ByExtension[extension]));
        Assert.All(ContentTypes.ByExtension.Keys, extension => Assert.StartsWith(".", extension, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("font.ttf", "font/ttf")]
    [InlineData("archive.zip", "application/zip")]
    [InlineData("doc.PDF", "application/pdf")]
    [InlineData("feed.rss", "application/rss+xml; charset=utf-8")]
    [InlineData("captions.vtt", "text/vtt; charset=utf-8")]
    [InlineData("setup.exe", "application/octet-stream")]
    public void Should_UseTheRegisteredType_When_TheExtensionHasOne(string path, string type)
    {
        Assert.Equal(type, ContentTypes.For(path));
    }

    [Fact]
    public void Should_UseFirstMatchingRuleThenKindDefault_When_RulesAreGiven()
    {
        var policy = new CacheControlPolicy([
            new CacheControlRule("*.pdf", "public, max-age=3600"),
            new CacheControlRule("/docs/**", "public, max-age=60"),
            new CacheControlRule("images/*.png", "public, max-age=600"),
        ]);

        Assert.Equal("public, max-age=3600", policy.For("docs/manual.pdf", FileKind.EntryPoint));
        Assert.Equal("public, max-age=60", policy.For("docs/a/b/index.html", FileKind.EntryPoint));
        Assert.Equal("public, max-age=600", policy.For("images/logo.png", FileKind.EntryPoint));
        Assert.Equal(CacheControlPolicy.Revalidate, policy.For("images/sub/logo.png", FileKind.EntryPoint));
        Assert.Equal(CacheControlPolicy.Immutable, policy.For("assets/app.3f9a1c2b.css", FileKind.Fingerprinted));
        Assert.Equal(CacheControlPolicy.Revalidate, policy.For("index.html", FileKind.EntryPoint));
    }

    [Theory]
    [InlineData("*.pdf")]
    [InlineData("=no-store")]
    [InlineData("*.pdf=")]
    public void Should_RefuseTheOption_When_ItIsNotGlobEqualsValue(string option)
    {
        var error = Assert.Throws<KeylessException>(() => CacheControlPolicy.ParseOption(option));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains("GLOB=VALUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_HashEveryFileAndSkipKeylessFiles_When_SiteIsScanned()
    {
        using var site = SiteFolder.Typical()
            .With(".well-known/security.txt", "Contact: mailto:security@example.com")
            .With(".keyless-build.json", """{"version":1,"files":{"images/logo.png":{"fingerprinted":true}}}""")
            .With(".keyless/stray.json", "{}");

        var manifest = await SiteManifest.ScanAsync(site.Path, site.Files, CacheControlPolicy.Default);

        Assert.Equal(
            [".well-known/security.txt", "about/index.html", "assets/app.0a1b2c3d4e.js", "assets/app.3f9a1c2b.css", "images/logo.png", "index.html", "robots.txt"],
            manifest.Files.Select(f => f.Path));
        var css = manifest.Files.Single(f => f.Path == "assets/app.3f9a1c2b.css");
#pragma warning disable CA5351 // S3's ETag
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(File.ReadAllBytes(manifest.FullPath(css)))), css.Md5);
#pragma warning restore CA5351
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(manifest.FullPath(css)))), css.Sha256);
        Assert.Equal(FileKind.Fingerprinted, manifest.Files.Single(f => f.Path == "images/logo.png").Kind);
        Assert.Equal(FileKind.EntryPoint, manifest.Files.Single(f => f.Path == "robots.txt").Kind);
    }

    [Fact]
    public async Task Should_RefuseAnUnknownBuildManifestVersion_When_SiteIsScanned()
    {
        using var site = SiteFolder.Typical().With(".keyless-build.json", """{"version":2,"files":{}}""");

        var error = await Assert.ThrowsAsync<KeylessException>(() => SiteManifest.ScanAsync(site.Path, site.Files, CacheControlPolicy.Default));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains("version 2 is not supported", error.Message, StringComparison.Ordinal);
    }
}
