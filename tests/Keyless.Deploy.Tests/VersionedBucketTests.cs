using Amazon.S3.Model;
using Keyless.Core;
using Keyless.Deploy.Releases;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>
/// Against moto with S3 versioning enabled on the bucket: a changed page is written in place with one PUT, the
/// release record keeps each object's version ID, and rollbacks and failed deploys copy pages back from those
/// versions; no content copies are made.
/// </summary>
public sealed class VersionedBucketTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private const int Pages = 12;

    [Fact]
    public async Task Should_WriteEachChangedPageWithOneRequestAndRecordItsVersion_When_BucketIsVersioned()
    {
        // Given a release live on a versioned bucket
        var bucket = await moto.NewBucketAsync(versioned: true);
        using var site = SiteWithPages("v1");
        await moto.DeployAsync(bucket, site, "r1");

        // When a template change rewrites every page, with one new script
        var recorder = default(RecordingStore);
        var outcome = await moto.DeployAsync(bucket, SiteWithPages("v2", site).With("assets/next.5e6f7a8b.js", "next()"), "r2", wrap: store => recorder = new RecordingStore(store));

        // Then each changed page took exactly one PUT at its key, and besides them only the script, the record and the pointer were written
        var pages = outcome.Plan.ChangedEntryPoints;
        Assert.Equal(Pages + 1, pages.Count);
        var expected = pages.Select(p => (Kind: "put", Key: p)).Append(("put", "assets/next.5e6f7a8b.js")).Append(("put", ".keyless/releases/r2.json")).Append(("put", ".keyless/current.json")).Order().ToList();
        Assert.Equal(expected, recorder!.Writes.Select(c => (c.Kind, c.Key)).Order().ToList());

        // And in the promised order: the asset before any page, every page before the record, the record before the pointer
        var order = recorder.Writes.Select(c => c.Key).ToList();
        Assert.True(order.IndexOf("assets/next.5e6f7a8b.js") < pages.Min(p => order.IndexOf(p)), string.Join(", ", order));
        Assert.True(pages.Max(p => order.IndexOf(p)) < order.IndexOf(".keyless/releases/r2.json"), string.Join(", ", order));
        Assert.True(order.IndexOf(".keyless/releases/r2.json") < order.IndexOf(".keyless/current.json"), string.Join(", ", order));

        // And the record names, for every file, the version S3 now serves at its key; no content copy exists
        var record = await RecordAsync(bucket, "r2");
        foreach (var file in record.Files)
        {
            var head = await moto.S3.GetObjectMetadataAsync(bucket, file.Path);
            Assert.Equal(head.VersionId, file.VersionId);
        }

        Assert.DoesNotContain((await moto.ObjectsAsync(bucket)).Keys, k => k.StartsWith(".keyless/content/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_RestoreExactBytesFromRecordedVersions_When_RollingBack()
    {
        // Given r1, then r2 rewriting every page
        var bucket = await moto.NewBucketAsync(versioned: true);
        using var site = SiteWithPages("v1");
        await moto.DeployAsync(bucket, site, "r1");
        var before = await BytesAsync(bucket);
        await moto.DeployAsync(bucket, SiteWithPages("v2", site), "r2");

        // When rolling back
        var recorder = default(RecordingStore);
        var outcome = await moto.RollbackAsync(bucket, wrap: store => recorder = new RecordingStore(store));

        // Then every page that differs was copied back from its recorded version, one request each, and the bytes are r1's exactly
        var r1 = await RecordAsync(bucket, "r1");
        var copies = recorder!.Writes.Where(c => c.Kind == "copy").ToList();
        Assert.Equal(outcome.Plan.ChangedEntryPoints.Order(), copies.Select(c => c.Key).Order());
        Assert.All(copies, c => Assert.Equal(c.Key, c.Source));
        Assert.Equal([".keyless/current.json"], recorder.Writes.Where(c => c.Kind == "put").Select(c => c.Key));
        foreach (var (path, bytes) in before)
        {
            using var read = await moto.S3.GetObjectAsync(bucket, path);
            using var buffer = new MemoryStream();
            await read.ResponseStream.CopyToAsync(buffer);
            Assert.Equal(bytes, buffer.ToArray());
        }

        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
        Assert.DoesNotContain((await moto.ObjectsAsync(bucket)).Keys, k => k.StartsWith(".keyless/content/", StringComparison.Ordinal));
        Assert.All(r1.Files, f => Assert.NotNull(f.VersionId));
    }

    [Fact]
    public async Task Should_RestoreAFileTheCleanupDeleted_When_RollingBackToAnOlderRelease()
    {
        // Given r1 with an about page, r2 and r3 without it: r3's cleanup deleted it (r1 left the two retained releases)
        var bucket = await moto.NewBucketAsync(versioned: true);
        using var site = SiteWithPages("v1");
        await moto.DeployAsync(bucket, site, "r1");
        var about = site.Read("about/index.html");
        site.Without("about/index.html");
        await moto.DeployAsync(bucket, site.With("index.html", "<html>v2</html>"), "r2");
        await moto.DeployAsync(bucket, site.With("index.html", "<html>v3</html>"), "r3");
        Assert.DoesNotContain("about/index.html", (await moto.ObjectsAsync(bucket)).Keys);

        // When rolling back to r1
        await moto.RollbackAsync(bucket, to: "r1");

        // Then the deleted page is back from its version (only a delete marker hid it)
        Assert.Equal(about, await moto.TextAsync(bucket, "about/index.html"));
        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
    }

    [Fact]
    public async Task Should_PutTheLivePagesBackFromTheirVersions_When_ADeployFailsWhilePagesSwitch()
    {
        // Given r1 live on a versioned bucket
        var bucket = await moto.NewBucketAsync(versioned: true);
        using var site = SiteWithPages("v1");
        await moto.DeployAsync(bucket, site, "r1");
        var before = await BytesAsync(bucket);

        // When the fifth page PUT of a site-wide change is refused
        var recorder = default(RecordingStore);
        var error = await Assert.ThrowsAsync<KeylessException>(() => moto.DeployAsync(bucket, SiteWithPages("v2", site), "r2", wrap: store => recorder = new RecordingStore(store) { DenyPut = 5 }));

        // Then the pages that had switched were copied back from r1's versions: visitors get r1, the pointer names it
        Assert.Contains("copied back", error.Message, StringComparison.Ordinal);
        Assert.Contains(recorder!.Writes, c => c.Kind == "copy");
        foreach (var (path, bytes) in before)
        {
            using var read = await moto.S3.GetObjectAsync(bucket, path);
            using var buffer = new MemoryStream();
            await read.ResponseStream.CopyToAsync(buffer);
            Assert.True(bytes.SequenceEqual(buffer.ToArray()), $"{path} is not r1's");
        }

        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
        Assert.DoesNotContain(recorder.Writes, c => c.Key.EndsWith("r2.json", StringComparison.Ordinal));

        // And running it again finishes it
        await moto.DeployAsync(bucket, site, "r2");
        Assert.Equal("r2", await moto.LiveReleaseAsync(bucket));
        Assert.Contains("v2", await moto.TextAsync(bucket, "index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_KeepContentCopiesAndRecordNoVersions_When_BucketIsNotVersioned()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteWithPages("v1");
        await moto.DeployAsync(bucket, site, "r1");
        await moto.DeployAsync(bucket, SiteWithPages("v2", site), "r2");

        Assert.All((await RecordAsync(bucket, "r2")).Files, f => Assert.Null(f.VersionId));
        Assert.Contains((await moto.ObjectsAsync(bucket)).Keys, k => k.StartsWith(".keyless/content/", StringComparison.Ordinal));
    }

    /// <summary>The typical site with <see cref="Pages"/> more pages, every page saying <paramref name="version"/>.</summary>
    private static SiteFolder SiteWithPages(string version, SiteFolder? into = null)
    {
        var site = into ?? SiteFolder.Typical();
        site.With("index.html", $"<!doctype html><html><body>Home {version}</body></html>");
        site.With("about/index.html", $"<!doctype html><html><body>About {version}</body></html>");
        for (var i = 0; i < Pages - 1; i++)
        {
            site.With($"docs/page-{i}.html", $"<!doctype html><html><body>Page {i} {version}</body></html>");
        }

        return site;
    }

    private async Task<ReleaseRecord> RecordAsync(string bucket, string release) =>
        ReleaseJson.ReadRecord("test", System.Text.Encoding.UTF8.GetBytes(await moto.TextAsync(bucket, $".keyless/releases/{release}.json")));

    private async Task<Dictionary<string, byte[]>> BytesAsync(string bucket)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in (await moto.ObjectsAsync(bucket)).Keys.Where(k => !k.StartsWith(".keyless/", StringComparison.Ordinal)))
        {
            using var read = await moto.S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key });
            using var buffer = new MemoryStream();
            await read.ResponseStream.CopyToAsync(buffer);
            result[key] = buffer.ToArray();
        }

        return result;
    }
}
