using Keyless.Core;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto: files leave the bucket only when no retained release needs them.</summary>
public sealed class RetentionTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Should_KeepRemovedFilesOneReleaseAndDeleteThemAfterTheNext_When_DeployingAndPruning()
    {
        // Given r1 with an asset and a page that r2 drops
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical().With("assets/old.1234abcd.js", "old").With("old/index.html", "<html>old</html>");
        await moto.DeployAsync(bucket, site, "r1");
        site.Without("assets/old.1234abcd.js").Without("old/index.html");

        // When r2 is deployed and pruned
        var second = await moto.DeployAsync(bucket, site, "r2");
        var prune = await moto.PruneAsync(bucket);

        // Then the dropped files are still served: r1, the previous release, needs them
        Assert.Empty(second.Plan.Deleted);
        Assert.Equal(["assets/old.1234abcd.js", "old/index.html"], second.Plan.Kept);
        Assert.Empty(prune.Deleted);
        var objects = await moto.ObjectsAsync(bucket);
        Assert.Contains("assets/old.1234abcd.js", objects.Keys);
        Assert.Contains("old/index.html", objects.Keys);

        // And when r3 is deployed, r1 leaves the window and its files go (old/index.html went straight to its key
        // in the first deploy and was never replaced, so it has no content copy to delete)
        var third = await moto.DeployAsync(bucket, site, "r3");
        objects = await moto.ObjectsAsync(bucket);
        Assert.Equal(["assets/old.1234abcd.js", "old/index.html"], third.Plan.DeletedFiles);
        Assert.DoesNotContain("assets/old.1234abcd.js", objects.Keys);
        Assert.DoesNotContain("old/index.html", objects.Keys);
        Assert.Equal(2, third.Plan.Deleted.Count);
        Assert.Contains("index.html", objects.Keys);
        Assert.Contains(".keyless/releases/r1.json", objects.Keys);
    }

    [Fact]
    public async Task Should_DeleteStrayFilesOnlyWhenPruning_When_TheyBelongToNoRelease()
    {
        // Given a deployed site and a file nobody deployed
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");
        await moto.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "stray.txt", ContentBody = "stray", UseChunkEncoding = false });

        // When the next deploy runs, then prune
        var deploy = await moto.DeployAsync(bucket, site, "r2");
        var dryRun = await moto.PruneAsync(bucket, dryRun: true);
        Assert.Contains("stray.txt", (await moto.ObjectsAsync(bucket)).Keys);
        var prune = await moto.PruneAsync(bucket);

        // Then only prune removes it
        Assert.Empty(deploy.Plan.Deleted);
        Assert.Equal(["stray.txt"], dryRun.DeletedFiles);
        Assert.Equal(["stray.txt"], prune.DeletedFiles);
        Assert.DoesNotContain("stray.txt", (await moto.ObjectsAsync(bucket)).Keys);
    }

    [Fact]
    public async Task Should_NeverTouchAnotherSiteBelowThePrefix_When_PruningTheBucketRoot()
    {
        // Given a site at the root and another one deployed under www/
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "root1");
        await moto.DeployAsync(bucket, site, "www1", prefix: "www");

        // When the root is deployed again and pruned
        await moto.DeployAsync(bucket, site.With("index.html", "<html>root v2</html>"), "root2");
        await moto.DeployAsync(bucket, site.With("index.html", "<html>root v3</html>"), "root3");
        var prune = await moto.PruneAsync(bucket);

        // Then the www/ site is intact
        Assert.Empty(prune.Deleted);
        Assert.Equal("www1", await moto.LiveReleaseAsync(bucket, "www"));
        Assert.Equal("<html>root v3</html>", await moto.TextAsync(bucket, "index.html"));
        Assert.NotEqual("<html>root v3</html>", await moto.TextAsync(bucket, "www/index.html"));
    }

    [Fact]
    public async Task Should_RefuseToPrune_When_TheBucketHasNoRelease()
    {
        var bucket = await moto.NewBucketAsync();
        await moto.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "index.html", ContentBody = "hand-made", UseChunkEncoding = false });

        var error = await Assert.ThrowsAsync<KeylessException>(() => moto.PruneAsync(bucket));

        Assert.Contains("nothing was deleted", error.Message, StringComparison.Ordinal);
        Assert.Contains("index.html", (await moto.ObjectsAsync(bucket)).Keys);
        Assert.Null(await moto.LiveReleaseAsync(bucket));
    }
}
