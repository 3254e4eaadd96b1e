using Amazon.S3.Model;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto: what is uploaded is decided by content, never by modification times.</summary>
public sealed class DeployByContentTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Should_UploadNothing_When_AFreshCloneWithNewMtimesIsDeployed()
    {
        // Given a deployed site
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");

        // When a fresh clone of the same build, every mtime newer, is deployed as the next commit
        using var clone = site.FreshClone(DateTime.UtcNow.AddHours(1));
        var recorder = default(RecordingStore);
        var outcome = await moto.DeployAsync(bucket, clone, "r2", wrap: store => recorder = new RecordingStore(store));

        // Then no site file is uploaded: only the new release's record and the pointer are written
        Assert.Equal(0, outcome.Plan.Uploaded);
        Assert.Equal(6, outcome.Plan.Unchanged);
        Assert.Equal([".keyless/releases/r2.json", ".keyless/current.json"], recorder!.Writes.Select(c => c.Key));
    }

    [Fact]
    public async Task Should_UploadOneFile_When_OneFileChanged()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");

        site.With("assets/app.0a1b2c3d4e.js", "console.log('v2, same name');");
        var recorder = default(RecordingStore);
        var outcome = await moto.DeployAsync(bucket, site, "r2", wrap: store => recorder = new RecordingStore(store));

        Assert.Equal(1, outcome.Plan.Uploaded);
        Assert.Equal(ChangeKind.Content, outcome.Plan.Files.Single(f => f.Writes).Change);
        Assert.Equal(["assets/app.0a1b2c3d4e.js", ".keyless/releases/r2.json", ".keyless/current.json"], recorder!.Writes.Select(c => c.Key));
        Assert.Equal("console.log('v2, same name');", await moto.TextAsync(bucket, "assets/app.0a1b2c3d4e.js"));
    }

    [Fact]
    public async Task Should_CatchTheEdit_When_ItKeepsTheSizeAndHasAnOlderMtime()
    {
        // Given a deployed page
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");

        // When one character changes (same size) and the file's mtime is set back to 2001
        var edited = site.Read("index.html").Replace("Home v1", "Home v2", StringComparison.Ordinal);
        site.With("index.html", edited);
        site.SetModified("index.html", new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var outcome = await moto.DeployAsync(bucket, site, "r2");

        // Then the edit is published: aws s3 sync would have skipped it
        Assert.Equal(["index.html"], outcome.Plan.ChangedEntryPoints);
        Assert.Equal(edited, await moto.TextAsync(bucket, "index.html"));
    }

    [Fact]
    public async Task Should_WriteTheObjectAgain_When_OnlyItsCacheControlChanges()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");

        var rules = new CacheControlPolicy([new("*.png", "public, max-age=600"), new("*.css", "public, max-age=60")]);
        var outcome = await moto.DeployAsync(bucket, site, "r2", cacheControl: rules);

        Assert.Equal(["assets/app.3f9a1c2b.css", "images/logo.png"], outcome.Plan.Files.Where(f => f.Writes).Select(f => f.File.Path));
        Assert.All(outcome.Plan.Files.Where(f => f.Writes), f => Assert.Equal(ChangeKind.Headers, f.Change));
        Assert.Equal("public, max-age=600", (await moto.S3.GetObjectMetadataAsync(bucket, "images/logo.png")).Headers.CacheControl);
        Assert.Equal("public, max-age=60", (await moto.S3.GetObjectMetadataAsync(bucket, "assets/app.3f9a1c2b.css")).Headers.CacheControl);
    }

    [Fact]
    public async Task Should_UploadAgain_When_TheBucketHoldsAMultipartCopy()
    {
        // Given a deployed site whose CSS someone replaced with the same bytes, uploaded in one part of a multipart upload
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");
        var key = "assets/app.3f9a1c2b.css";
        var upload = await moto.S3.InitiateMultipartUploadAsync(bucket, key);
        var part = await moto.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(site.Read(key))) });
        await moto.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] });
        Assert.Contains("-", (await moto.ObjectsAsync(bucket))[key], StringComparison.Ordinal);

        // When the same site is deployed again
        var outcome = await moto.DeployAsync(bucket, site, "r2");

        // Then the multipart ETag is not taken for an MD5: the file is uploaded again, single-part
        Assert.Equal([key], outcome.Plan.Files.Where(f => f.Writes).Select(f => f.File.Path));
        Assert.DoesNotContain("-", (await moto.ObjectsAsync(bucket))[key], StringComparison.Ordinal);
    }
}
