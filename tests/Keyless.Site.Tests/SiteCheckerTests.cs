using Keyless.Core;
using Keyless.Core.Findings;

namespace Keyless.Site.Tests;

/// <summary>Each rule of <c>keyless site check</c> on a small site made for it.</summary>
public sealed partial class SiteCheckerTests
{
    private static SiteCheckReport Check(TempSite site) => SiteChecker.Check(site.Site, site.Files);

    private static SiteFinding Single(SiteCheckReport report, Rule rule)
    {
        var found = report.Findings.Where(f => f.Rule == rule).ToList();
        Assert.True(found.Count == 1, $"expected one {rule.Id} finding, got: {string.Join("; ", report.Findings.Select(f => $"{f.Rule.Id} {f.File}:{f.Line} {f.Message}"))}");
        return found[0];
    }

    private static void Clean(SiteCheckReport report) =>
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings.Select(f => $"{f.Rule.Id} {f.File}:{f.Line} {f.Message}")));

    public sealed class Links
    {
        [Fact]
        public void Should_ReportABrokenLink_When_APageLinksToAMissingPage()
        {
            // Given
            using var site = TempSite.With404().Page("index.html", "<p>One</p>\n<a href=\"docs/instal.html\">install</a>");

            // When
            var report = Check(site);

            // Then
            var finding = Single(report, SiteRules.BrokenLink);
            Assert.Equal(Severity.Error, finding.Severity);
            Assert.Equal("index.html", finding.File);
            Assert.Equal(6, finding.Line);
            Assert.Contains("docs/instal.html is not in the site", finding.Message, StringComparison.Ordinal);
            Assert.True(report.HasErrors);
        }

        [Fact]
        public void Should_ResolveLinks_When_TheyAreRelativeRootRelativeToFoldersOrCarryQueryAndFragment()
        {
            // Given
            using var site = TempSite.With404()
                .Page("index.html", "<a href=\"docs/\">a</a> <a href=\"docs\">b</a> <a href=\"/docs/index.html?x=1#intro\">c</a> <a href=\"./\">d</a> <a href=\"/\">e</a> <a href=\"#\">top</a> <a href=\"#top\">top</a> <a href=\"?q\">q</a> <a href=\"my%20page.html\">f</a>")
                .Page("my page.html", "<p>space</p>")
                .Page("docs/index.html", "<h2 id=\"intro\">Intro</h2><a href=\"../index.html\">home</a> <a href=\"../\">home</a>");

            // When
            var report = Check(site);

            // Then
            Clean(report);
        }

        [Fact]
        public void Should_ReportABrokenLink_When_ALinkClimbsAboveTheRoot()
        {
            using var site = TempSite.With404().Page("index.html", "<a href=\"../outside.html\">out</a>");

            var finding = Single(Check(site), SiteRules.BrokenLink);

            Assert.Contains("above the site's root", finding.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_HintAtTheFile_When_ALinkDiffersOnlyInCase()
        {
            using var site = TempSite.With404().Page("index.html", "<a href=\"About.html\">about</a>").Page("about.html", "<p>x</p>");

            var finding = Single(Check(site), SiteRules.BrokenLink);

            Assert.Contains("the site has about.html", finding.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_IgnoreOtherOriginsAndSchemes_When_TheyAreNavigations()
        {
            using var site = TempSite.With404().Page("index.html", "<a href=\"https://gitlab.com\">g</a> <a href=\"mailto:a@b.example\">m</a> <a href=\"tel:+100\">t</a> <a href=\"//example.org/x\">p</a>");

            Clean(Check(site));
        }
    }

    public sealed class Assets
    {
        [Fact]
        public void Should_ReportAMissingAsset_When_AnImageStylesheetOrScriptIsMissing()
        {
            // Given
            using var site = TempSite.With404().Page(
                "index.html",
                "<img src=\"img/logo.png\" alt=\"\">\n<script src=\"/js/app.js\"></script>",
                head: "<link rel=\"stylesheet\" href=\"css/site.css\">");

            // When
            var report = Check(site);

            // Then
            var missing = report.Findings.Where(f => f.Rule == SiteRules.MissingAsset).Select(f => f.Message).ToList();
            Assert.Equal(3, missing.Count);
            Assert.Contains(missing, m => m.Contains("css/site.css is not in the site", StringComparison.Ordinal));
            Assert.Contains(missing, m => m.Contains("img/logo.png is not in the site", StringComparison.Ordinal));
            Assert.Contains(missing, m => m.Contains("js/app.js is not in the site", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_CheckEverySrcsetCandidateAndARelativeOgImage_When_APageHasThem()
        {
            // Given
            using var site = TempSite.With404()
                .WriteBytes("img/a.png", [1])
                .Page(
                    "index.html",
                    "<picture><source srcset=\"img/a.png 1x, img/b.png 2x\"><img src=\"img/a.png\" srcset=\"img/a.png,img/c.png 2x\" alt=\"\"></picture>",
                    head: "<meta property=\"og:image\" content=\"img/card.png\"><meta name=\"twitter:image\" content=\"https://example.org/card.png\">");

            // When
            var missing = Check(site).Findings.Where(f => f.Rule == SiteRules.MissingAsset).Select(f => f.Message).ToList();

            // Then
            Assert.Equal(3, missing.Count);
            Assert.Contains(missing, m => m.Contains("img/b.png", StringComparison.Ordinal));
            Assert.Contains(missing, m => m.Contains("img/c.png", StringComparison.Ordinal));
            Assert.Contains(missing, m => m.Contains("img/card.png", StringComparison.Ordinal));
        }

        [Fact]
        public void Should_ReportAMissingAssetWithItsLine_When_AStylesheetUrlIsMissing()
        {
            // Given
            using var site = TempSite.With404()
                .Page("index.html", "<p>x</p>", head: "<link rel=\"stylesheet\" href=\"css/site.css\">")
                .WriteBytes("fonts/a.woff2", [1])
                .Write("css/site.css", "/* url(commented.png) */\n@font-face { src: url(\"../fonts/a.woff2\") format(\"woff2\"); }\nbody { content: \"url(in-a-string.png)\"; }\n.hero { background: url( ../img/hero.png ); }\n.mask { mask: url(#m); }\n");

            // When
            var finding = Single(Check(site), SiteRules.MissingAsset);

            // Then
            Assert.Equal("css/site.css", finding.File);
            Assert.Equal(4, finding.Line);
            Assert.Contains("img/hero.png", finding.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_ReportAMissingImport_When_AStylesheetImportsAMissingOne()
        {
            using var site = TempSite.With404().Page("index.html", "<p>x</p>").Write("css/a.css", "@import \"b.css\";\n@import url(c.css) print;\n").Write("css/c.css", "p{}");

            var finding = Single(Check(site), SiteRules.MissingAsset);

            Assert.Contains("@import \"b.css\"", finding.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_ReportAMissingAsset_When_AStyleAttributeNamesAMissingImage()
        {
            using var site = TempSite.With404().Page("index.html", "<div style=\"background: url('img/x.png')\"></div>");

            var report = Check(site);

            Assert.Contains("img/x.png", Single(report, SiteRules.MissingAsset).Message, StringComparison.Ordinal);
            Assert.Single(report.Findings, f => f.Rule == SiteRules.CspBlocked);
        }
    }

    public sealed class Anchors
    {
        [Fact]
        public void Should_WarnAboutAMissingAnchor_When_TheFragmentNamesNoIdOnTheTargetPage()
        {
            // Given
            using var site = TempSite.With404()
                .Page("index.html", "<h1 id=\"intro\">Intro</h1>\n<a href=\"#intro\">same page</a> <a href=\"faq.html#cost\">other page</a> <a href=\"faq.html#nope\">missing</a> <a href=\"#gone\">missing here</a> <a href=\"faq.html#legacy\">by name</a>")
                .Page("faq.html", "<h2 id=\"cost\">Cost</h2><a name=\"legacy\"></a>");

            // When
            var report = Check(site);

            // Then
            var missing = report.Findings.Where(f => f.Rule == SiteRules.MissingAnchor).ToList();
            Assert.All(missing, f => Assert.Equal(Severity.Warning, f.Severity));
            Assert.Equal(2, missing.Count);
            Assert.Contains(missing, f => f.Message.Contains("faq.html has no element with id=\"nope\"", StringComparison.Ordinal));
            Assert.Contains(missing, f => f.Message.Contains("index.html has no element with id=\"gone\"", StringComparison.Ordinal));
            Assert.False(report.HasErrors);
        }
    }

    public sealed class MixedContent
    {
        [Fact]
        public void Should_ReportMixedContentAsAnError_When_ASubresourceIsLoadedOverHttp()
        {
            // Given
            using var site = TempSite.With404()
                .Page("index.html", "<script src=\"http://cdn.example/x.js\"></script><img src=\"HTTP://cdn.example/x.png\" alt=\"\">", head: "<link rel=\"stylesheet\" href=\"http://cdn.example/x.css\">")
                .Write("css/a.css", "body { background: url(http://cdn.example/bg.png); }");

            // When
            var report = Check(site);

            // Then
            var mixed = report.Findings.Where(f => f.Rule == SiteRules.MixedContent).ToList();
            Assert.Equal(4, mixed.Count);
            Assert.All(mixed, f => Assert.Equal(Severity.Error, f.Severity));
        }

        [Fact]
        public void Should_WarnOnly_When_ALinkNavigatesToHttp()
        {
            using var site = TempSite.With404().Page("index.html", "<a href=\"http://example.org/\">old site</a>", head: "<link rel=\"canonical\" href=\"http://example.org/\">");

            var report = Check(site);

            Assert.Equal(2, report.Findings.Count(f => f.Rule == SiteRules.InsecureLink));
            Assert.False(report.HasErrors);
        }
    }

    public sealed class Pages
    {
        [Theory]
        [InlineData("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"></head><body></body></html>")]
        [InlineData("<!doctype html><html lang=\"en\"><head><title>  </title></head><body></body></html>")]
        public void Should_ReportAMissingTitle_When_ThePageHasNoneOrAnEmptyOne(string html)
        {
            using var site = TempSite.With404().Write("index.html", html);

            Assert.Equal(Severity.Error, Single(Check(site), SiteRules.MissingTitle).Severity);
        }

        [Fact]
        public void Should_ReportAMissingLang_When_TheHtmlElementHasNoLang()
        {
            using var site = TempSite.With404().Write("index.html", "<!doctype html>\n<html>\n<head><title>T</title></head><body></body></html>");

            var finding = Single(Check(site), SiteRules.MissingLang);

            Assert.Equal(2, finding.Line);
        }

        [Fact]
        public void Should_ReportParseErrorsWithLines_When_APageIsNotWellFormed()
        {
            // Given
            using var site = TempSite.With404().Write("index.html", "<!doctype html>\n<html lang=\"en\">\n<head><title>T</title></head>\n<body>\n<div></span>\n</body></html>");

            // When
            var errors = Check(site).Findings.Where(f => f.Rule == SiteRules.ParseError).ToList();

            // Then
            Assert.NotEmpty(errors);
            Assert.Contains(errors, f => f.Line == 5);
        }

        [Fact]
        public void Should_ReportAParseError_When_APageHasNoDoctype()
        {
            using var site = TempSite.With404().Write("index.html", "<html lang=\"en\"><head><title>T</title></head><body></body></html>");

            Assert.Contains(Check(site).Findings, f => f.Rule == SiteRules.ParseError);
        }

        [Fact]
        public void Should_ReportAParseError_When_APageIsNotUtf8()
        {
            using var site = TempSite.With404().WriteBytes("index.html", [.. "<!doctype html><html lang=\"en\"><head><title>T"u8.ToArray(), 0xFF, 0xFE, .. "</title></head><body></body></html>"u8.ToArray()]);

            Assert.Contains("not valid UTF-8", Single(Check(site), SiteRules.ParseError).Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_WarnAboutA404Page_When_TheSiteHasNone()
        {
            using var site = new TempSite();
            site.Write("index.html", TempSite.GoodPage);

            var finding = Single(Check(site), SiteRules.Missing404);

            Assert.Equal(Severity.Warning, finding.Severity);
            Assert.Equal("", finding.File);
        }

        [Fact]
        public void Should_FindNothing_When_ThePageIsWellFormed()
        {
            using var site = TempSite.With404().Write("index.html", TempSite.GoodPage);

            Clean(Check(site));
        }

        [Fact]
        public void Should_IgnoreHiddenFiles_When_ListingTheSite()
        {
            using var site = TempSite.With404().Write("index.html", TempSite.GoodPage).Write(".git/broken.html", "<p>no doctype").Write(".well-known/security.txt", "Contact: mailto:a@b.example");

            var report = Check(site);

            Clean(report);
            Assert.Contains(".well-known/security.txt", report.Files);
            Assert.DoesNotContain(report.Files, f => f.StartsWith(".git", StringComparison.Ordinal));
        }
    }

    public sealed class ContentSecurityPolicy
    {
        [Fact]
        public void Should_WarnAboutWhatTheServedPolicyBlocks_When_APageHasInlineCodeOrOtherOrigins()
        {
            // Given
            using var site = TempSite.With404().Page(
                "index.html",
                "<script>alert(1)</script>\n<script type=\"application/ld+json\">{}</script>\n<button onclick=\"go()\">go</button>\n<a href=\"javascript:void(0)\">js</a>\n<img src=\"https://cdn.example/x.png\" alt=\"\">\n<img src=\"data:image/png;base64,AA==\" alt=\"\">\n<script src=\"data:text/javascript,alert(1)\"></script>",
                head: "<style>p{}</style>");

            // When
            var report = Check(site);

            // Then the data: image is allowed (img-src 'self' data:), the data: script is not (script-src 'self')
            var blocked = report.Findings.Where(f => f.Rule == SiteRules.CspBlocked).Select(f => f.Message).ToList();
            Assert.Equal(6, blocked.Count);
            Assert.Contains(blocked, m => m.Contains("inline <script>", StringComparison.Ordinal) && m.Contains("(script-src 'self')", StringComparison.Ordinal));
            Assert.Contains(blocked, m => m.Contains("<style> element", StringComparison.Ordinal) && m.Contains("(style-src 'self')", StringComparison.Ordinal));
            Assert.Contains(blocked, m => m.Contains("onclick", StringComparison.Ordinal));
            Assert.Contains(blocked, m => m.Contains("javascript: URLs", StringComparison.Ordinal));
            Assert.Contains(blocked, m => m.Contains("https://cdn.example/x.png", StringComparison.Ordinal) && m.Contains("other origins", StringComparison.Ordinal));
            Assert.Contains(blocked, m => m.StartsWith("<script src=\"data:", StringComparison.Ordinal) && m.Contains("data: URLs", StringComparison.Ordinal));
            Assert.DoesNotContain(blocked, m => m.Contains("data:image/png", StringComparison.Ordinal));
            Assert.False(report.HasErrors);
        }

        [Fact]
        public void Should_CheckFontsAgainstFontSrc_When_AStylesheetEmbedsThem()
        {
            // Given a data: font (default-src 'self' governs fonts) and a data: background image (img-src allows it)
            using var site = TempSite.With404().Page("index.html", "<p>x</p>", head: "<link rel=\"stylesheet\" href=\"site.css\">")
                .Write("site.css", "@font-face { font-family: x; src: url(data:font/woff2;base64,AA==); }\nbody { background: url(data:image/png;base64,AA==); }");

            // When
            var blocked = Check(site).Findings.Where(f => f.Rule == SiteRules.CspBlocked).ToList();

            // Then only the font is blocked, named with the directive that decides
            var font = Assert.Single(blocked);
            Assert.Equal(1, font.Line);
            Assert.Contains("(default-src 'self')", font.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("default-src 'self'", "img-src", "Data", false)]
        [InlineData("default-src 'self'; img-src 'self' data:", "img-src", "Data", true)]
        [InlineData("default-src 'self'; img-src 'self' data:", "font-src", "Data", false)]
        [InlineData("script-src 'self' 'unsafe-inline'", "script-src", "Inline", true)]
        [InlineData("script-src 'self' 'unsafe-inline' 'nonce-abc'", "script-src", "Inline", false)]
        [InlineData("img-src 'self'", "script-src", "Inline", true)]
        [InlineData("default-src 'self'; img-src 'self'; img-src *", "img-src", "OtherOrigin", false)]
        [InlineData("default-src *", "img-src", "OtherOrigin", true)]
        [InlineData("default-src 'self' https://cdn.example", "img-src", "OtherOrigin", true)]
        [InlineData("default-src 'self' *.example", "img-src", "OtherOrigin", true)]
        [InlineData("default-src 'self' https://other.example", "img-src", "OtherOrigin", false)]
        [InlineData("default-src 'none'", "img-src", "Self", false)]
        public void Should_ReadAPolicyAsABrowserDoes_When_DirectivesFallBack(string policy, string directive, string source, bool allowed)
        {
            var csp = ServedCsp.Parse(policy);

            Assert.Equal(allowed, csp.Allows(directive, Enum.Parse<CspSource>(source), new Uri("https://cdn.example/x.png")));
        }
    }

    public sealed class Input
    {
        [Fact]
        public void Should_ThrowUnusableInput_When_TheFolderDoesNotExist()
        {
            var error = Assert.Throws<KeylessException>(() => SiteChecker.Check("/nonexistent/keyless-site", SiteRepo.Files));

            Assert.Equal(FailureKind.UnusableInput, error.Kind);
            Assert.Contains("no such folder", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_SayItIsAFileAndHowToNameTheFolder_When_TheSiteIsAFile()
        {
            var file = Path.GetTempFileName();
            try
            {
                var error = Assert.Throws<KeylessException>(() => SiteChecker.Check(file, SiteRepo.Files));

                Assert.Equal(FailureKind.UnusableInput, error.Kind);
                Assert.StartsWith($"{file}: this is a file; expected the site's folder", error.Message, StringComparison.Ordinal);
                Assert.Contains("Name it with --site", error.Message, StringComparison.Ordinal);
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
