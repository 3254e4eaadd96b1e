using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using Keyless.Core;
using Keyless.Core.Contracts;

namespace Keyless.Site.Tests;

/// <summary><c>keyless site build</c>: fingerprinted names, rewritten references, the manifest, determinism and the output folder's safety.</summary>
public sealed partial class SiteBuilderTests
{
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Home</title>
          <meta property="og:image" content="img/card.png">
          <link rel="icon" href="favicon.ico">
          <link rel="stylesheet" href="css/site.css?v=1">
          <script src="js/app.js" defer></script>
        </head>
        <body>
          <a href="docs/index.html#intro">Docs</a>
          <img src="img/logo.svg" srcset="img/logo.svg 1x, img/card.png 2x" alt="">
          <div data-x='1' class=hero style="background: url(img/card.png)">x&amp;y</div>
        </body>
        </html>
        """;

    private static TempSite Sample()
    {
        var site = TempSite.With404()
            .Write("index.html", Page)
            .Page("docs/index.html", "<h1 id=\"intro\">Docs</h1><a href=\"../index.html\">home</a> <img src=\"/img/logo.svg\" alt=\"\">", head: "<link rel=\"stylesheet\" href=\"../css/site.css\">")
            .Write("css/site.css", "@import url(\"tokens.css\");\nbody { background: url(../img/card.png) no-repeat; }\n")
            .Write("css/tokens.css", "@font-face { font-family: X; src: url('../fonts/x.woff2') format('woff2'); }\n")
            .Write("js/app.js", "console.log('hi');\n")
            .Write("img/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
            .WriteBytes("img/card.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
            .WriteBytes("fonts/x.woff2", [0x77, 0x4F, 0x46, 0x32])
            .WriteBytes("favicon.ico", [0, 0, 1, 0])
            .Write("robots.txt", "User-agent: *\nAllow: /\n");
        return site;
    }

    private static SiteBuildResult Build(TempSite site, string? output = null) => SiteBuilder.Build(site.Site, output ?? site.Out, "site", site.Files);

    private static string Read(string folder, string path) => File.ReadAllText(Path.Combine(folder, path));

    private static string Named(SiteBuildResult result, string original) => result.Manifest.Files.Single(f => f.Value.Original == original).Key;

    public sealed class Names
    {
        [Fact]
        public void Should_PutTheContentHashInTheName_When_AFileIsAStylesheetScriptImageOrFont()
        {
            // Given
            using var site = Sample();

            // When
            var result = Build(site);

            // Then
            foreach (var original in new[] { "css/site.css", "css/tokens.css", "js/app.js", "img/logo.svg", "img/card.png", "fonts/x.woff2" })
            {
                var name = Named(result, original);
                var file = result.Manifest.Files[name];
                Assert.Matches(@"\.[0-9a-f]{8}\.[a-z0-9]+$", name);
                Assert.Equal(original[..original.LastIndexOf('.')] + "." + file.Sha256[..8] + original[original.LastIndexOf('.')..], name);
                Assert.True(file.Fingerprinted);
                Assert.False(file.EntryPoint);
                Assert.True(File.Exists(Path.Combine(site.Out, name)));
                Assert.False(File.Exists(Path.Combine(site.Out, original)));
            }
        }

        [Fact]
        public void Should_KeepTheName_When_AFileIsAnEntryPoint()
        {
            // Given
            using var site = Sample();
            site.WriteBytes("img/favicon.ico", [0, 0, 1, 0]).Write("notes/guide.txt", "text");

            // When
            var files = Build(site).Manifest.Files;

            // Then
            foreach (var entry in new[] { "index.html", "docs/index.html", "404.html", "robots.txt", "favicon.ico" })
            {
                Assert.True(files[entry].EntryPoint, entry);
                Assert.False(files[entry].Fingerprinted, entry);
            }

            Assert.False(files["notes/guide.txt"].Fingerprinted);
            Assert.False(files["notes/guide.txt"].EntryPoint);
            Assert.Contains(files, f => f.Value.Original == "img/favicon.ico" && f.Value.Fingerprinted);
        }

        [Fact]
        public void Should_ChangeTheNameExactlyWhenTheContentChanges_When_StylesheetsAreBuilt()
        {
            var contents = Gen.String[Gen.Char["ab{}:;/*\"() .u-rl"], 0, 24];
            Gen.Select(contents, contents, Gen.Bool).Sample(
                (first, other, same) =>
                {
                    var second = same ? first : other;
                    using var a = TempSite.With404().Write("css/app.css", first);
                    using var b = TempSite.With404().Write("css/app.css", second);

                    var nameA = Named(Build(a), "css/app.css");
                    var nameB = Named(Build(b), "css/app.css");

                    Assert.Equal(first == second, nameA == nameB);
                },
                iter: 40);
        }

        [Fact]
        public void Should_RenameTheImportingStylesheet_When_OnlyTheImportedOneChanges()
        {
            // Given
            using var site = Sample();
            var before = Build(site);
            site.Write("css/tokens.css", "/* changed */\n");

            // When
            var after = Build(site);

            // Then
            Assert.NotEqual(Named(before, "css/tokens.css"), Named(after, "css/tokens.css"));
            Assert.NotEqual(Named(before, "css/site.css"), Named(after, "css/site.css"));
            Assert.Contains(Named(after, "css/tokens.css")["css/".Length..], Read(site.Out, Named(after, "css/site.css")), StringComparison.Ordinal);
        }
    }

    public sealed class References
    {
        [Fact]
        public void Should_RewriteEveryReference_When_APageOrStylesheetNamesAFingerprintedFile()
        {
            // Given
            using var site = Sample();

            // When
            var result = Build(site);

            // Then
            var index = Read(site.Out, "index.html");
            var css = Read(site.Out, Named(result, "css/site.css"));
            var card = Path.GetFileName(Named(result, "img/card.png"));
            var logo = Path.GetFileName(Named(result, "img/logo.svg"));
            Assert.Contains($"href=\"{Named(result, "css/site.css")}?v=1\"", index, StringComparison.Ordinal);
            Assert.Contains($"src=\"{Named(result, "js/app.js")}\"", index, StringComparison.Ordinal);
            Assert.Contains($"content=\"img/{card}\"", index, StringComparison.Ordinal);
            Assert.Contains($"srcset=\"img/{logo} 1x, img/{card} 2x\"", index, StringComparison.Ordinal);
            Assert.Contains($"style=\"background: url(img/{card})\"", index, StringComparison.Ordinal);
            Assert.Contains("href=\"favicon.ico\"", index, StringComparison.Ordinal);
            Assert.Contains("href=\"docs/index.html#intro\"", index, StringComparison.Ordinal);
            Assert.Contains($"url(../img/{card}) no-repeat", css, StringComparison.Ordinal);
            Assert.Contains($"@import url(\"{Path.GetFileName(Named(result, "css/tokens.css"))}\")", css, StringComparison.Ordinal);
            Assert.Contains($"src=\"/img/{logo}\"", Read(site.Out, "docs/index.html"), StringComparison.Ordinal);
            Assert.Contains($"url('../fonts/{Path.GetFileName(Named(result, "fonts/x.woff2"))}')", Read(site.Out, Named(result, "css/tokens.css")), StringComparison.Ordinal);
            Assert.Empty(result.Unresolved);
        }

        [Fact]
        public void Should_LeaveNoReferenceToAnUnfingerprintedAsset_When_TheOutputIsChecked()
        {
            // Given
            using var site = Sample();

            // When
            Build(site);
            var report = SiteChecker.Check(site.Out, site.Files);

            // Then: every reference resolves in the output (the one finding is the style attribute's CSP warning), and none names an asset by its source name.
            Assert.Equal([SiteRules.CspBlocked], report.Findings.Select(f => f.Rule));
            foreach (var file in report.Files.Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".css", StringComparison.Ordinal)))
            {
                var text = Read(site.Out, file);
                foreach (var source in new[] { "site.css", "tokens.css", "app.js", "logo.svg", "card.png", "x.woff2" })
                {
                    Assert.DoesNotMatch($@"[/""'(]{Regex.Escape(source)}", text);
                }
            }
        }

        [Fact]
        public void Should_KeepEveryOtherByte_When_APageIsRewritten()
        {
            // Given
            using var site = Sample();

            // When
            var result = Build(site);

            // Then: undoing the renames in the output gives back the source page exactly.
            var output = Read(site.Out, "index.html");
            foreach (var (name, file) in result.Manifest.Files.Where(f => f.Value.Fingerprinted))
            {
                output = output.Replace(Path.GetFileName(name), Path.GetFileName(file.Original), StringComparison.Ordinal);
            }

            Assert.Equal(Page, output);
            Assert.Equal(File.ReadAllBytes(Path.Combine(site.Site, "404.html")), File.ReadAllBytes(Path.Combine(site.Out, "404.html")));
        }

        [Fact]
        public void Should_RewriteTheWrittenAttribute_When_APageUsesCrLfCapitalsOtherQuotesEntitiesOrAStyleElement()
        {
            // Given
            const string page = "<!DOCTYPE html>\r\n<HTML LANG=en>\r\n<HEAD><TITLE>T</TITLE>\r\n<LINK REL=stylesheet HREF='a.css?x=1&amp;y=2'>\r\n<style>\r\np { background: url(\"i.png\") }\r\n</style></HEAD>\r\n<BODY><IMG SRC=i.png ALT=\"\"></BODY></HTML>\r\n";
            using var site = TempSite.With404().Write("index.html", page).Write("a.css", "p{}").WriteBytes("i.png", [1]);

            // When
            var result = Build(site);

            // Then
            var css = Path.GetFileName(Named(result, "a.css"));
            var png = Path.GetFileName(Named(result, "i.png"));
            var expected = page
                .Replace("HREF='a.css?", $"HREF='{css}?", StringComparison.Ordinal)
                .Replace("url(\"i.png\")", $"url(\"{png}\")", StringComparison.Ordinal)
                .Replace("SRC=i.png", $"SRC=\"{png}\"", StringComparison.Ordinal);
            Assert.Equal(expected, Read(site.Out, "index.html"));
        }

        [Fact]
        public void Should_LeaveAndReportAnUnresolvedReference_When_ItNamesNoFile()
        {
            using var site = TempSite.With404().Page("index.html", "<img src=\"img/missing.png\" alt=\"\">");

            var result = Build(site);

            Assert.Equal(["index.html: img/missing.png"], result.Unresolved);
            Assert.Contains("src=\"img/missing.png\"", Read(site.Out, "index.html"), StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Refuse_When_StylesheetsImportEachOther()
        {
            using var site = TempSite.With404().Write("a.css", "@import \"b.css\";").Write("b.css", "@import \"a.css\";");

            var error = Assert.Throws<KeylessException>(() => Build(site));

            Assert.Contains("a.css → b.css → a.css", error.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(site.Out));
        }
    }

    public sealed class Manifest
    {
        [Fact]
        public void Should_DescribeEveryFile_When_TheBuildIsDone()
        {
            // Given
            using var site = Sample();

            // When
            var result = Build(site);

            // Then
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(site.Out, BuildManifest.FileName)));
            var root = json.RootElement;
            Assert.Equal(1, root.GetProperty("version").GetInt32());
            Assert.Equal("site", root.GetProperty("source").GetString());
            var files = root.GetProperty("files").EnumerateObject().ToList();
            var onDisk = Directory.EnumerateFiles(site.Out, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(site.Out, f).Replace('\\', '/'))
                .Where(f => f != BuildManifest.FileName)
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.Equal(onDisk, files.Select(f => f.Name).ToList());
            foreach (var file in files)
            {
                var bytes = File.ReadAllBytes(Path.Combine(site.Out, file.Name));
                Assert.Equal(Fingerprint.Sha256(bytes), file.Value.GetProperty("sha256").GetString());
                Assert.Equal(bytes.Length, file.Value.GetProperty("size").GetInt64());
                Assert.Equal(["sha256", "size", "fingerprinted", "entryPoint", "original"], file.Value.EnumerateObject().Select(p => p.Name).ToArray());
            }

            var css = root.GetProperty("files").GetProperty(Named(result, "css/site.css"));
            Assert.True(css.GetProperty("fingerprinted").GetBoolean());
            Assert.False(css.GetProperty("entryPoint").GetBoolean());
            Assert.Equal("css/site.css", css.GetProperty("original").GetString());
            Assert.True(root.GetProperty("files").GetProperty("index.html").GetProperty("entryPoint").GetBoolean());
            Assert.Equal(result.Files, files.Count);
            Assert.Equal(6, result.Fingerprinted);
        }
    }

    public sealed class Output
    {
        [Fact]
        public void Should_GiveIdenticalBytes_When_TheSameSiteIsBuiltTwice()
        {
            // Given
            using var site = Sample();
            var first = Path.Combine(site.Root, "one");
            var second = Path.Combine(site.Root, "two");

            // When
            Build(site, first);
            Build(site, second);
            Build(site, second);

            // Then
            var files = Directory.EnumerateFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(files, Directory.EnumerateFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order(StringComparer.Ordinal).ToList());
            Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(first, f)), File.ReadAllBytes(Path.Combine(second, f))));
        }

        [Fact]
        public void Should_RefuseAndDeleteNothing_When_TheOutputIsANonEmptyFolderThatIsNoBuild()
        {
            // Given
            using var site = Sample();
            Directory.CreateDirectory(site.Out);
            File.WriteAllText(Path.Combine(site.Out, "thesis.tex"), "precious");

            // When
            var error = Assert.Throws<KeylessException>(() => Build(site));

            // Then
            Assert.Equal(FailureKind.UnusableInput, error.Kind);
            Assert.Contains("not the output of a previous keyless site build", error.Message, StringComparison.Ordinal);
            Assert.Equal("precious", File.ReadAllText(Path.Combine(site.Out, "thesis.tex")));
        }

        [Fact]
        public void Should_Refuse_When_TheFolderHoldsAManifestThatIsNotOne()
        {
            using var site = Sample();
            Directory.CreateDirectory(site.Out);
            File.WriteAllText(Path.Combine(site.Out, BuildManifest.FileName), "not json");

            Assert.Throws<KeylessException>(() => Build(site));
        }

        [Fact]
        public void Should_RemoveStaleFiles_When_RebuildingOverAPreviousBuild()
        {
            // Given
            using var site = Sample();
            var before = Build(site);
            site.Write("js/app.js", "console.log('changed');\n");

            // When
            var after = Build(site);

            // Then
            Assert.False(File.Exists(Path.Combine(site.Out, Named(before, "js/app.js"))));
            Assert.True(File.Exists(Path.Combine(site.Out, Named(after, "js/app.js"))));
        }

        [Theory]
        [InlineData("site")]
        [InlineData("site/dist")]
        [InlineData(".")]
        public void Should_Refuse_When_TheOutputOverlapsTheSite(string output)
        {
            using var site = Sample();

            var error = Assert.Throws<KeylessException>(() => Build(site, Path.Combine(site.Root, output)));

            Assert.Equal(FailureKind.UnusableInput, error.Kind);
            Assert.True(File.Exists(Path.Combine(site.Site, "index.html")));
        }
    }
}
