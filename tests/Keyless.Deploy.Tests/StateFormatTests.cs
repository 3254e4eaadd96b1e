using System.Text;
using Keyless.Core;
using Keyless.Deploy.CloudFront;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Releases;

namespace Keyless.Deploy.Tests;

/// <summary>The bucket layout, the state files and the invalidation paths.</summary>
public sealed class StateFormatTests
{
    private static readonly ReleaseFile Page = new("index.html", 10, new string('a', 32), new string('b', 64), "text/html; charset=utf-8", "no-cache", FileKind.EntryPoint);
    private static readonly ReleaseFile Asset = new("assets/app.3f9a1c2b.css", 20, new string('c', 32), new string('d', 64), "text/css; charset=utf-8", CacheControlPolicy.Immutable, FileKind.Fingerprinted);

    [Fact]
    public void Should_PutStateUnderTheStateFolder_When_PrefixIsGiven()
    {
        var layout = new BucketLayout("acme-www", "/staging/");

        Assert.Equal("staging/", layout.Prefix);
        Assert.Equal("staging/index.html", layout.SiteKey("index.html"));
        Assert.Equal("staging/.keyless/current.json", layout.PointerKey);
        Assert.Equal("staging/.keyless/releases/r1.json", layout.RecordKey("r1"));
        Assert.Equal("staging/.keyless/content/" + Page.Sha256, layout.ContentKey(Page.Sha256));
        Assert.Equal("a/b.css", layout.SitePath("staging/a/b.css"));
        Assert.Null(layout.SitePath("staging/.keyless/current.json"));
        Assert.Null(layout.SitePath("other/index.html"));
        Assert.Equal("r1", layout.RecordRelease("staging/.keyless/releases/r1.json"));
    }

    [Theory]
    [InlineData(".keyless")]
    [InlineData("a/../b")]
    [InlineData("a b")]
    public void Should_RefuseThePrefix_When_ItIsNotFolderNames(string prefix)
    {
        var error = Assert.Throws<KeylessException>(() => new BucketLayout("acme-www", prefix));

        Assert.Contains("--prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReadBackWhatWasWritten_When_RecordAndPointerRoundTrip()
    {
        var at = new DateTimeOffset(2026, 11, 26, 16, 0, 0, TimeSpan.Zero);
        var record = new ReleaseRecord("r2", at, [Asset, Page]) { Commit = "abc", Pipeline = "https://gitlab.com/p/-/pipelines/1" };
        var pointer = ReleasePointer.Start(new Publication("r1", at, Publication.Deploy)).Then(new Publication("r2", at.AddMinutes(1), Publication.Deploy));

        var readRecord = ReleaseJson.ReadRecord("r2.json", ReleaseJson.Write(record));
        var readPointer = ReleaseJson.ReadPointer("current.json", ReleaseJson.Write(pointer));

        Assert.Equal(record.Files, readRecord.Files);
        Assert.Equal((record.Release, record.CreatedAt, record.Commit, record.Pipeline), (readRecord.Release, readRecord.CreatedAt, readRecord.Commit, readRecord.Pipeline));
        Assert.Equal(pointer.History, readPointer.History);
        Assert.Equal("r2", readPointer.Release);
        Assert.Equal("r1", readPointer.Previous);
        Assert.Equal(["r2", "r1"], readPointer.Retained(5));
    }

    [Theory]
    [InlineData("""{"version":1,"release":"r1","createdAt":"2026-11-26T16:00:00Z","files":[{"path":"../etc/passwd","size":1,"md5":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","sha256":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","contentType":"x","cacheControl":"y","kind":"entryPoint"}]}""", "not a site path")]
    [InlineData("""{"version":1,"release":"r1","createdAt":"2026-11-26T16:00:00Z","files":[{"path":"a","size":1,"md5":"xyz","sha256":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","contentType":"x","cacheControl":"y","kind":"entryPoint"}]}""", "md5 is not 32")]
    [InlineData("""{"version":1,"release":"r1"}""", "\"files\" is missing")]
    [InlineData("""[1]""", "not a JSON object")]
    [InlineData("""{"version":1,""", "not valid JSON")]
    public void Should_SayTheStateIsDamaged_When_ARecordIsNotOneKeylessWrote(string json, string problem)
    {
        var error = Assert.Throws<KeylessException>(() => ReleaseJson.ReadRecord("s3://b/.keyless/releases/r1.json", Encoding.UTF8.GetBytes(json)));

        Assert.Equal(FailureKind.Failed, error.Kind);
        Assert.Contains("is damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_InvalidateFolderUrlsOfIndexPages_When_EntryPointsChanged()
    {
        var paths = CloudFrontInvalidations.PathsFor(["index.html", "docs/index.html", "robots.txt", "files/a b.txt"]);

        Assert.Equal(["/", "/docs/", "/docs/index.html", "/files/a%20b.txt", "/index.html", "/robots.txt"], paths);
    }

    [Fact]
    public void Should_InvalidateEverything_When_MorePathsChangedThanOneInvalidationHolds()
    {
        var paths = CloudFrontInvalidations.PathsFor(Enumerable.Range(0, CloudFrontInvalidations.MaxPaths + 1).Select(i => $"p{i}.html"));

        Assert.Equal(["/*"], paths);
    }

    [Theory]
    [InlineData("v1.4.0", true)]
    [InlineData("0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("-rf", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void Should_AcceptOnlySafeReleaseIds_When_Checked(string id, bool valid)
    {
        Assert.Equal(valid, ReleaseId.IsValid(id));
    }
}
