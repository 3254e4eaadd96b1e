using System.Security.Cryptography;
using CsCheck;
using Keyless.Core;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Tests.Support;

namespace Keyless.Deploy.Tests;

/// <summary>
/// Files are identified by SHA-256 in one read; only content no release record describes is read again for its
/// MD5 (S3's ETag), and a file that changes between the two reads stops the deploy.
/// </summary>
public sealed class SiteHashingTests
{
    [Fact]
    public async Task Should_GiveEachFileItsSha256AndMd5_When_NothingIsKnown()
    {
        var content = Gen.Byte.Array[0, 3_000_000];
        await Gen.Select(content, content).SampleAsync(
            async (a, b) =>
            {
                using var site = SiteFolder.Empty();
                await File.WriteAllBytesAsync(Path.Combine(site.Path, "a.bin"), a);
                await File.WriteAllBytesAsync(Path.Combine(site.Path, "b.bin"), b);

                var manifest = await SiteManifest.ScanAsync(site.Path, site.Files, CacheControlPolicy.Default);

                Assert.Equal([Hashes(a), Hashes(b)], manifest.Files.Select(f => (f.Size, f.Sha256, f.Md5)));
            },
            iter: 12);
    }

    [Fact]
    public async Task Should_NotReadAFileAgain_When_ARecordKnowsItsContent()
    {
        // Given a site whose files were identified, one of them content a release record describes
        using var site = SiteFolder.Typical();
        var identified = await SiteManifest.List(site.Path, site.Files, CacheControlPolicy.Default).IdentifyAsync();
        var logo = identified.Files.Single(f => f.Path == "images/logo.png");
        var known = KnownMd5s.From([new ReleaseFile(logo.Path, logo.Size, "0123456789abcdef0123456789abcdef", logo.Sha256, "image/png", "no-cache", FileKind.EntryPoint)]);

        // When that file is gone before the MD5s are worked out
        File.Delete(logo.Full);
        var manifest = await identified.CompleteAsync(known);

        // Then its MD5 is the record's (it was not read again), while the others were read for theirs
        Assert.Equal("0123456789abcdef0123456789abcdef", manifest.Files.Single(f => f.Path == "images/logo.png").Md5);
        var robots = manifest.Files.Single(f => f.Path == "robots.txt");
        Assert.Equal(Hashes(File.ReadAllBytes(manifest.FullPath(robots))).Md5, robots.Md5);

        // and without the record it is read again, and found missing
        var error = await Assert.ThrowsAsync<KeylessException>(() => identified.CompleteAsync(KnownMd5s.None));
        Assert.Contains("cannot read images/logo.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_NotTakeARecordsMd5_When_OnlyTheSha256Matches()
    {
        using var site = SiteFolder.Typical();
        var identified = await SiteManifest.List(site.Path, site.Files, CacheControlPolicy.Default).IdentifyAsync();
        var robots = identified.Files.Single(f => f.Path == "robots.txt");
        var known = KnownMd5s.From([new ReleaseFile(robots.Path, robots.Size + 1, "0123456789abcdef0123456789abcdef", robots.Sha256, "text/plain", "no-cache", FileKind.EntryPoint)]);

        var manifest = await identified.CompleteAsync(known);

        Assert.Equal(Hashes(File.ReadAllBytes(robots.Full)).Md5, manifest.Files.Single(f => f.Path == "robots.txt").Md5);
    }

    [Fact]
    public async Task Should_StopWithTheFilesName_When_AFileChangesBetweenTheTwoReads()
    {
        // Given identified files
        using var site = SiteFolder.Typical();
        var identified = await SiteManifest.List(site.Path, site.Files, CacheControlPolicy.Default).IdentifyAsync();

        // When a build step rewrites one of them (same size) before its MD5 is read
        var page = identified.Files.Single(f => f.Path == "index.html");
        await File.WriteAllTextAsync(page.Full, (await File.ReadAllTextAsync(page.Full)).Replace("v1", "v2", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(page.Full, page.LastWrite.AddSeconds(1));

        // Then the deploy stops, naming the file and what to do
        var error = await Assert.ThrowsAsync<KeylessException>(() => identified.CompleteAsync(KnownMd5s.None));
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains("index.html changed while it was being read", error.Message, StringComparison.Ordinal);
    }

#pragma warning disable CA5351 // S3's ETag
    private static (long Size, string Sha256, string Md5) Hashes(byte[] content) =>
        (content.LongLength, Convert.ToHexStringLower(SHA256.HashData(content)), Convert.ToHexStringLower(MD5.HashData(content)));
#pragma warning restore CA5351
}
