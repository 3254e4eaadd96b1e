using System.Text.Json;
using System.Xml.Linq;
using Keyless.Core.Contracts;
using Keyless.Testing;

namespace Keyless.Site.Tests;

/// <summary><c>keyless site check</c> and <c>keyless site build</c> in-process: exit codes and every report format.</summary>
public sealed partial class SiteCommandTests
{
    /// <summary>Two pages, one with a broken link (an error) and one with a missing anchor (a warning).</summary>
    private static TempSite Broken() => TempSite.With404()
        .Page("index.html", "<a href=\"missing.html\">gone</a>\n<a href=\"about.html#team\">team</a>")
        .Page("about.html", "<p>About</p>");

    public sealed class ExitCodes
    {
        [Fact]
        public async Task Should_ExitZero_When_TheSiteHasNoError()
        {
            using var site = TempSite.With404().Write("index.html", TempSite.GoodPage);

            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site);

            Assert.True(result.ExitCode == Keyless.Core.ExitCodes.Success, result.ToString());
            Assert.Contains("2 page(s), 2 file(s) checked", result.Output, StringComparison.Ordinal);
            Assert.Contains("0 error(s), 0 warning(s)", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Should_ExitOne_When_TheSiteHasAnError()
        {
            using var site = Broken();

            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site);

            Assert.True(result.ExitCode == Keyless.Core.ExitCodes.Failed, result.ToString());
            Assert.Contains("KS002 broken-link", result.Output, StringComparison.Ordinal);
            Assert.Contains("1 error(s), 1 warning(s)", result.Output, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Should_ExitZero_When_TheSiteHasOnlyWarnings()
        {
            using var site = new TempSite();
            site.Write("index.html", TempSite.GoodPage);

            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site);

            Assert.True(result.ExitCode == Keyless.Core.ExitCodes.Success, result.ToString());
            Assert.Contains("KS009 missing-404", result.Output, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("check")]
        [InlineData("build")]
        public async Task Should_ExitTwo_When_TheSiteFolderIsMissing(string verb)
        {
            var result = await KeylessCli.RunAsync("site", verb, "--site", "/nonexistent/keyless-site");

            Assert.True(result.ExitCode == Keyless.Core.ExitCodes.UnusableInput, result.ToString());
            Assert.Contains("no such folder", result.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Should_ExitTwo_When_TheFormatIsUnknown()
        {
            using var site = TempSite.With404();

            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site, "--format", "xml");

            Assert.True(result.ExitCode == Keyless.Core.ExitCodes.UnusableInput, result.ToString());
            Assert.Contains("--format xml", result.Errors, StringComparison.Ordinal);
            Assert.Contains("text, json, codequality, sarif or junit", result.Errors, StringComparison.Ordinal);
        }

        [Fact]
        public async Task Should_BuildAndSummarise_When_TheOutputIsNew()
        {
            using var site = TempSite.With404().Page("index.html", "<p>x</p>", head: "<link rel=\"stylesheet\" href=\"a.css\">").Write("a.css", "p{}");

            var result = await KeylessCli.RunAsync("site", "build", "--site", site.Site, "--out", site.Out);

            Assert.True(result.ExitCode == Keyless.Core.ExitCodes.Success, result.ToString());
            Assert.Contains("3 file(s), 1 fingerprinted", result.Output, StringComparison.Ordinal);
            Assert.Contains(BuildManifest.FileName, result.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(site.Out, BuildManifest.FileName)));
        }

        [Fact]
        public async Task Should_ExitTwoWithAClearMessage_When_TheOutputIsNotAPreviousBuild()
        {
            using var site = TempSite.With404();
            Directory.CreateDirectory(site.Out);
            File.WriteAllText(Path.Combine(site.Out, "keep.txt"), "mine");

            var result = await KeylessCli.RunAsync("site", "build", "--site", site.Site, "--out", site.Out);

            Assert.True(result.ExitCode == Keyless.Core.ExitCodes.UnusableInput, result.ToString());
            Assert.Contains("keyless will not delete it", result.Errors, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(site.Out, "keep.txt")));
        }

        [Theory]
        [InlineData("check", "--format <FORMAT>")]
        [InlineData("check", "--output <FILE>")]
        [InlineData("check", "junit")]
        [InlineData("build", "--out <DIR>")]
        [InlineData("build", "--site <DIR>")]
        public async Task Should_ListTheOption_When_HelpIsAsked(string verb, string option)
        {
            var result = await KeylessCli.RunAsync("site", verb, "--help");

            Assert.Equal(Keyless.Core.ExitCodes.Success, result.ExitCode);
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
        }
    }

    public sealed class Reports
    {
        [Fact]
        public async Task Should_WriteJUnitWithOneCasePerPageAndFailuresForErrors_When_TheFormatIsJUnit()
        {
            // Given
            using var site = Broken();

            // When
            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site, "--format", "junit");

            // Then
            Assert.Equal(Keyless.Core.ExitCodes.Failed, result.ExitCode);
            var xml = XDocument.Parse(result.Output);
            var cases = xml.Descendants("testcase").ToList();
            Assert.Equal(3, cases.Count);
            Assert.All(cases, c => Assert.StartsWith(site.Site, c.Attribute("name")!.Value, StringComparison.Ordinal));
            var index = cases.Single(c => c.Attribute("name")!.Value.EndsWith("/index.html", StringComparison.Ordinal));
            var failure = Assert.Single(index.Elements("failure"));
            Assert.Equal("KS002", failure.Attribute("type")!.Value);
            Assert.Contains("missing.html", failure.Value, StringComparison.Ordinal);
            Assert.Contains("KS004", index.Element("system-out")!.Value, StringComparison.Ordinal);
            Assert.Equal("1", xml.Root!.Attribute("failures")!.Value);
            Assert.Empty(cases.Single(c => c.Attribute("name")!.Value.EndsWith("/about.html", StringComparison.Ordinal)).Elements());
        }

        [Fact]
        public async Task Should_WriteGitLabCodeQuality_When_TheFormatIsCodeQuality()
        {
            // Given
            using var site = Broken();

            // When
            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site, "--format", "codequality");

            // Then
            using var json = JsonDocument.Parse(result.Output);
            var issues = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(2, issues.Count);
            var broken = issues.Single(i => i.GetProperty("check_name").GetString() == "KS002 broken-link");
            Assert.Equal("critical", broken.GetProperty("severity").GetString());
            Assert.Equal(site.Site + "/index.html", broken.GetProperty("location").GetProperty("path").GetString());
            Assert.Equal(5, broken.GetProperty("location").GetProperty("lines").GetProperty("begin").GetInt32());
            Assert.Contains("missing.html", broken.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal("major", issues.Single(i => i.GetProperty("check_name").GetString() == "KS004 missing-anchor").GetProperty("severity").GetString());
            Assert.Equal(2, issues.Select(i => i.GetProperty("fingerprint").GetString()).Distinct().Count());
        }

        [Fact]
        public async Task Should_WriteFindingsAndSummary_When_TheFormatIsJson()
        {
            using var site = Broken();

            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site, "--format", "json");

            using var json = JsonDocument.Parse(result.Output);
            var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
            Assert.Equal(["KS002", "KS004"], findings.Select(f => f.GetProperty("rule").GetString()!).Order(StringComparer.Ordinal).ToArray());
            Assert.Equal("error", findings.Single(f => f.GetProperty("rule").GetString() == "KS002").GetProperty("severity").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("errors").GetInt32());
            Assert.Equal(3, json.RootElement.GetProperty("pages").GetArrayLength());
        }

        [Fact]
        public async Task Should_WriteSarifWithTheSiteRules_When_TheFormatIsSarif()
        {
            // Given
            using var site = Broken();

            // When
            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site, "--format", "sarif");

            // Then
            Assert.Equal(Keyless.Core.ExitCodes.Failed, result.ExitCode);
            var run = System.Text.Json.Nodes.JsonNode.Parse(result.Output)!["runs"]![0]!;
            var rules = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string)r!["id"]!).ToList();
            Assert.Equal(Keyless.Site.SiteRules.All.Select(r => r.Id), rules);
            var broken = Assert.Single(run["results"]!.AsArray(), r => (string)r!["ruleId"]! == "KS002")!;
            Assert.Equal("error", (string)broken["level"]!);
            Assert.EndsWith("/index.html", (string)broken["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!, StringComparison.Ordinal);
            Assert.Contains(run["results"]!.AsArray(), r => (string)r!["ruleId"]! == "KS004" && (string)r["level"]! == "warning");
        }

        [Fact]
        public async Task Should_WriteTheReportToTheFileAndTextToTheConsole_When_OutputIsGiven()
        {
            // Given
            using var site = Broken();
            var file = Path.Combine(site.Root, "reports", "site-check.xml");

            // When
            var result = await KeylessCli.RunAsync("site", "check", "--site", site.Site, "--format", "junit", "--output", file);

            // Then
            Assert.Equal(Keyless.Core.ExitCodes.Failed, result.ExitCode);
            Assert.Equal(3, XDocument.Load(file).Descendants("testcase").Count());
            Assert.Contains("KS002 broken-link", result.Output, StringComparison.Ordinal);
            Assert.Contains("note: junit report written to", result.Errors, StringComparison.Ordinal);
            Assert.DoesNotContain("report written", result.Output, StringComparison.Ordinal);
        }
    }
}
