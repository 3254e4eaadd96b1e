using AngleSharp.Html.Parser;

namespace Keyless.Site.Tests;

/// <summary>The repository's own site, <c>site/</c>: clean, complete, and still clean once built.</summary>
public sealed class SampleSiteTests
{
    [Fact]
    public void Should_HaveNoFinding_When_TheSampleSiteIsChecked()
    {
        var report = SiteChecker.Check("site", SiteRepo.Files);

        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings.Select(f => $"{f.Rule.Id} {f.File}:{f.Line} {f.Message}")));
        Assert.True(report.Pages.Count >= 6, string.Join(", ", report.Pages));
        Assert.Contains("404.html", report.Pages);
    }

    [Fact]
    public void Should_HaveNoFinding_When_TheBuiltSampleSiteIsChecked()
    {
        // Given
        using var temp = new TempSite();

        // When
        var result = SiteBuilder.Build("site", temp.Out, "site", SiteRepo.Files);
        var report = SiteChecker.Check(temp.Out, temp.Files);

        // Then
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings.Select(f => $"{f.Rule.Id} {f.File}:{f.Line} {f.Message}")));
        Assert.Empty(result.Unresolved);
        Assert.Contains(result.Manifest.Files, f => f.Key.StartsWith("css/site.", StringComparison.Ordinal) && f.Value.Fingerprinted);
        Assert.True(result.Fingerprinted >= 8);
    }

    [Fact]
    public void Should_GiveEveryPageItsHeadAndLinksToTheOthers_When_ThePagesAreRead()
    {
        var pages = Directory.GetFiles(SiteRepo.Site, "*.html", SearchOption.AllDirectories);
        var parser = new HtmlParser();
        foreach (var file in pages)
        {
            var name = Path.GetRelativePath(SiteRepo.Site, file);
            var document = parser.ParseDocument(File.ReadAllText(file));
            Assert.Equal("en", document.DocumentElement.GetAttribute("lang"));
            Assert.False(string.IsNullOrWhiteSpace(document.Title), name);
            Assert.False(string.IsNullOrWhiteSpace(document.QuerySelector("meta[name=description]")?.GetAttribute("content")), name);
            Assert.Contains("width=device-width", document.QuerySelector("meta[name=viewport]")?.GetAttribute("content") ?? "", StringComparison.Ordinal);
            var links = document.QuerySelectorAll("nav a[href]").Select(a => a.GetAttribute("href")!).ToList();
            foreach (var other in new[] { "index.html", "how-it-works.html", "docs/index.html", "security.html", "faq.html", "about.html" })
            {
                Assert.Contains(links, l => l.EndsWith(other, StringComparison.Ordinal));
            }

            Assert.DoesNotContain("http://", string.Join(" ", document.QuerySelectorAll("[href],[src]").Select(e => e.GetAttribute("href") ?? e.GetAttribute("src"))), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Should_KeepImagesSmallAndHaveTheWellKnownFiles_When_TheSiteIsListed()
    {
        Assert.True(File.Exists(Path.Combine(SiteRepo.Site, "robots.txt")));
        Assert.True(File.Exists(Path.Combine(SiteRepo.Site, "favicon.ico")));
        Assert.True(File.Exists(Path.Combine(SiteRepo.Site, "img", "logo.svg")));
        foreach (var png in Directory.GetFiles(SiteRepo.Site, "*.png", SearchOption.AllDirectories))
        {
            Assert.True(new FileInfo(png).Length < 50 * 1024, $"{png} is {new FileInfo(png).Length} bytes");
        }
    }
}
