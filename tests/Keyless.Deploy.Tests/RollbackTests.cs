using System.Text.Json;
using Keyless.Core;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto: a rollback republishes an earlier release from the bucket alone.</summary>
public sealed class RollbackTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Should_RestoreThePreviousPagesAndPointer_When_RollingBack()
    {
        // Given r1, then r2 with other pages, a new asset and a page removed
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");
        var home1 = await moto.TextAsync(bucket, "index.html");
        site.With("index.html", "<html><script src=/assets/next.77aa88bb.js></script>Home v2</html>")
            .With("assets/next.77aa88bb.js", "next()")
            .Without("about/index.html");
        await moto.DeployAsync(bucket, site, "r2");
        site.Dispose();

        // When rolling back without naming a release (and with the site folder gone)
        var recorder = default(RecordingStore);
        var outcome = await moto.RollbackAsync(bucket, wrap: store => recorder = new RecordingStore(store));

        // Then r1's bytes and headers are served again, the pointer names r1, nothing was uploaded or deleted
        Assert.Equal("r1", outcome.Plan.Release);
        Assert.Equal(home1, await moto.TextAsync(bucket, "index.html"));
        Assert.Equal("<!doctype html><html><body>About v1</body></html>", await moto.TextAsync(bucket, "about/index.html"));
        var head = await moto.S3.GetObjectMetadataAsync(bucket, "index.html");
        Assert.Equal(("text/html; charset=utf-8", "no-cache"), (head.Headers.ContentType, head.Headers.CacheControl));
        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
        Assert.DoesNotContain(recorder!.Writes, c => c.Kind == "delete");
        Assert.All(recorder.Writes.Where(c => c.Kind == "put"), c => Assert.EndsWith("current.json", c.Key, StringComparison.Ordinal));
        Assert.Equal(["about/index.html", "index.html"], outcome.Plan.ChangedEntryPoints);

        // And rolling forward to r2 works the same way
        await moto.RollbackAsync(bucket, to: "r2");
        Assert.Equal("r2", await moto.LiveReleaseAsync(bucket));
        Assert.Contains("Home v2", await moto.TextAsync(bucket, "index.html"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ListReleasesNewestFirstWithTheLiveOne_When_Asked()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");
        await moto.DeployAsync(bucket, site.With("index.html", "<html>v2</html>"), "r2");
        await moto.DeployAsync(bucket, site.With("index.html", "<html>v3</html>"), "r3");
        await moto.RollbackAsync(bucket);

        var environment = moto.Environment();
        var result = await KeylessCli.RunAsync(environment, null, "releases", "--bucket", bucket, "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("r2", json.RootElement.GetProperty("current").GetString());
        var releases = json.RootElement.GetProperty("releases").EnumerateArray().ToList();
        Assert.Equal(["r2", "r3", "r1"], releases.Select(r => r.GetProperty("release").GetString()));
        Assert.Equal([true, false, false], releases.Select(r => r.GetProperty("current").GetBoolean()));
        Assert.Equal([true, true, false], releases.Select(r => r.GetProperty("retained").GetBoolean()));
        Assert.All(releases, r => Assert.Equal(6, r.GetProperty("files").GetInt32()));

        var text = await KeylessCli.RunAsync(environment, null, "releases", "--bucket", bucket);
        Assert.Contains("live", text.Output, StringComparison.Ordinal);
        Assert.Contains("r3", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_RefuseAndChangeNothing_When_TheReleaseWasCleanedUp()
    {
        // Given r1, r2 and r3 where r3 no longer has r1's stylesheet (so r3's deploy deleted it)
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");
        site.Without("assets/app.3f9a1c2b.css").With("assets/app.4e5f6a7b.css", "body{}").With("index.html", "<html>v2</html>");
        await moto.DeployAsync(bucket, site, "r2");
        await moto.DeployAsync(bucket, site.With("index.html", "<html>v3</html>"), "r3");
        var before = await moto.ObjectsAsync(bucket);

        // When rolling back to r1
        var error = await Assert.ThrowsAsync<KeylessException>(() => moto.RollbackAsync(bucket, to: "r1"));

        // Then it says why and what to do, and the bucket is as it was
        Assert.Contains("cannot be restored", error.Message, StringComparison.Ordinal);
        Assert.Contains("assets/app.3f9a1c2b.css", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await moto.ObjectsAsync(bucket));
        Assert.Equal("r3", await moto.LiveReleaseAsync(bucket));
    }
}
