using Keyless.Deploy.Releases;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto, recorded: assets before entry points before the release record before deletions.</summary>
public sealed class OrderTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Should_PublishInSafeOrder_When_ADeployAddsChangesAndDeletes()
    {
        // Given r1 and r2 (r2 drops old.js, which r1 needed), then r3 with new assets and changed entry points
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical().With("assets/old.1234abcd.js", "old");
        await moto.DeployAsync(bucket, site, "r1");
        site.Without("assets/old.1234abcd.js");
        await moto.DeployAsync(bucket, site, "r2");
        site.With("assets/app.9f8e7d6c.css", "body { color: #456; }")
            .Without("assets/app.3f9a1c2b.css")
            .With("assets/chunk.5a6b7c8d.js", "export const x = 1;")
            .With("index.html", "<html><link rel=stylesheet href=/assets/app.9f8e7d6c.css>Home v3</html>")
            .With("about/index.html", "<html>About v3</html>")
            .With("robots.txt", "User-agent: *\nDisallow: /private/\n")
            .With("contact/index.html", "<html>Contact</html>");

        // When r3 is deployed through a recording store
        var recorder = default(RecordingStore);
        var outcome = await moto.DeployAsync(bucket, site, "r3", wrap: store => recorder = new RecordingStore(store));

        // Then every step comes strictly after the one before it
        var layout = new BucketLayout(bucket, null);
        var writes = recorder!.Writes.Select((call, index) => (call, index)).ToList();
        int[] Where(Func<StoreCall, bool> match) => [.. writes.Where(w => match(w.call)).Select(w => w.index)];
        var assets = Where(c => c.Kind == "put" && layout.SitePath(c.Key) is not null);
        var copies = Where(c => c.Key.StartsWith(layout.ContentPrefix, StringComparison.Ordinal));
        var entryPoints = Where(c => c.Kind == "copy" && layout.SitePath(c.Key) is not null && !c.Key.EndsWith(".html", StringComparison.Ordinal));
        var pages = Where(c => c.Kind == "copy" && c.Key.EndsWith(".html", StringComparison.Ordinal));
        var record = Assert.Single(Where(c => c.Key == layout.RecordKey("r3")));
        var pointer = Assert.Single(Where(c => c.Key == layout.PointerKey));
        var deletions = Where(c => c.Kind == "delete");

        Assert.Equal(2, assets.Length);
        // content copies: the new index, about, robots.txt and contact uploaded; the replaced index, about and
        // robots.txt (published straight to their keys by the first deploy) copied from their keys first
        Assert.Equal(7, copies.Length);
        Assert.Equal(3, recorder.Writes.Count(c => c.Kind == "copy" && c.Key.StartsWith(layout.ContentPrefix, StringComparison.Ordinal) && layout.SitePath(c.Source!) is not null));
        Assert.Single(entryPoints);
        Assert.Equal(3, pages.Length);
        Assert.Equal(["assets/old.1234abcd.js"], outcome.Plan.DeletedFiles);
        Assert.NotEmpty(deletions);
        Assert.True(assets.Concat(copies).Max() < entryPoints.Min(), "assets and content copies before entry points");
        Assert.True(entryPoints.Max() < pages.Min(), "other entry points before pages");
        Assert.True(pages.Max() < record, "pages before the release record");
        Assert.True(record < pointer, "the record before the pointer");
        Assert.True(pointer < deletions.Min(), "the pointer before any deletion");
        Assert.Equal(["assets/app.3f9a1c2b.css"], outcome.Plan.Kept);
    }
}
