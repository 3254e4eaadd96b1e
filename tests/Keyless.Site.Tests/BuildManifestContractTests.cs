using CsCheck;
using Keyless.Core;
using Keyless.Core.Contracts;

namespace Keyless.Site.Tests;

/// <summary><c>.keyless-build.json</c>: what the builder writes, deploy reads back unchanged; what it cannot read, it names.</summary>
public sealed class BuildManifestContractTests
{
    private static readonly Gen<string> Paths =
        Gen.String[Gen.Char["abz09./-_ éü\"\\<>&'"], 1, 20].Where(p => !p.StartsWith('/'));

    private static readonly Gen<BuildFile> BuildFiles =
        Gen.Select(Gen.String[Gen.Char["0123456789abcdef"], 0, 64], Gen.Long[0, long.MaxValue], Gen.Bool, Gen.Bool, Gen.String)
            .Select((sha, size, fingerprinted, entryPoint, original) => new BuildFile(sha, size, fingerprinted, entryPoint, original));

    [Fact]
    public void Should_ReadBackWhatItWrote_When_AnyManifestRoundTrips()
    {
        Gen.Select(Gen.String, Gen.Dictionary(Paths, BuildFiles)[0, 8]).Sample((source, files) =>
        {
            var written = new BuildManifest(BuildManifest.CurrentVersion, source, new SortedDictionary<string, BuildFile>(files, StringComparer.Ordinal));

            var read = BuildManifest.Parse("dist/.keyless-build.json", written.ToJson());

            Assert.Equal(written.Source, read.Source);
            Assert.Equal(written.Files.OrderBy(f => f.Key, StringComparer.Ordinal), read.Files.OrderBy(f => f.Key, StringComparer.Ordinal));
            Assert.Equal(written.ToJson(), read.ToJson());
        });
    }

    [Fact]
    public void Should_WriteTheSameBytesAsBefore_When_AManifestIsSaved()
    {
        var manifest = new BuildManifest(1, "site", new SortedDictionary<string, BuildFile>(StringComparer.Ordinal)
        {
            ["app.0a1b2c3d.js"] = new("ab12", 7, Fingerprinted: true, EntryPoint: false, "app.js"),
            ["index.html"] = new("cd34", 12, Fingerprinted: false, EntryPoint: true, "index.html"),
        });

        Assert.Equal(
            """
            {
              "version": 1,
              "source": "site",
              "files": {
                "app.0a1b2c3d.js": {
                  "sha256": "ab12",
                  "size": 7,
                  "fingerprinted": true,
                  "entryPoint": false,
                  "original": "app.js"
                },
                "index.html": {
                  "sha256": "cd34",
                  "size": 12,
                  "fingerprinted": false,
                  "entryPoint": true,
                  "original": "index.html"
                }
              }
            }

            """.ReplaceLineEndings("\n"),
            manifest.ToJson());
    }

    [Fact]
    public void Should_ReadAHandWrittenManifest_When_FilesSayOnlyWhetherTheyAreFingerprinted()
    {
        var read = BuildManifest.Parse("m", """{"version":1,"files":{"/logo.png":{"fingerprinted":true},"index.html":"page"}}""");

        Assert.True(read.Files["logo.png"].Fingerprinted);
        Assert.False(read.Files["index.html"].Fingerprinted);
        Assert.Equal("", read.Source);
    }

    [Theory]
    [InlineData("not json", "dist/.keyless-build.json: not valid JSON")]
    [InlineData("""{"files":{}}""", "dist/.keyless-build.json: no \"version\" number")]
    [InlineData("""{"version":2,"files":{}}""", "dist/.keyless-build.json: build manifest version 2 is not supported; this keyless reads version 1")]
    [InlineData("""{"version":1,"files":[]}""", "dist/.keyless-build.json: \"files\" is not an object")]
    public void Should_NameTheFileAndTheProblem_When_TheManifestIsUnreadable(string json, string expected)
    {
        var error = Assert.Throws<KeylessException>(() => BuildManifest.Parse("dist/.keyless-build.json", json));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Null(BuildManifest.TryParse(json));
    }
}
