using System.Text.Json.Nodes;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary>The machine formats parse and carry the fields their consumers read.</summary>
public sealed class OutputFormatTests
{
    private static readonly string[] CheckSeverities = ["error", "warning", "info"];
    private static readonly string[] CodeQualitySeverities = ["info", "minor", "major", "critical", "blocker"];
    private static readonly string[] SarifLevels = ["error", "warning", "note"];

    [Fact]
    public async Task Should_ListRolesFindingsAndSummary_When_CheckFormatIsJson()
    {
        var (result, report) = await TrustRuns.CheckJsonAsync(Repo.TrustExamples);

        CliAssert.ExitCode(ExitCodes.Failed, result);
        var roles = TrustRuns.Roles(report);
        Assert.Equal(Repo.ExampleFiles("*.json").Count, roles.Select(r => (string)r["source"]!).Distinct().Count());
        foreach (var role in roles)
        {
            Assert.False(string.IsNullOrEmpty((string?)role["role"]));
            Assert.IsType<JsonArray>(role["admitted"]);
            foreach (var finding in role["findings"]!.AsArray())
            {
                Assert.Matches("^KL[0-9]{3}$", (string)finding!["rule"]!);
                Assert.Contains((string)finding["severity"]!, CheckSeverities);
                Assert.False(string.IsNullOrWhiteSpace((string?)finding["message"]));
            }
        }

        var summary = report["summary"]!.AsObject();
        var findings = TrustRuns.Findings(report);
        Assert.Equal(roles.Count, (int)summary["roles"]!);
        Assert.Equal(findings.Count(f => f.Severity == "error"), (int)summary["errors"]!);
        Assert.Equal(findings.Count(f => f.Severity == "warning"), (int)summary["warnings"]!);
    }

    [Fact]
    public async Task Should_ListAdmittedSets_When_CheckFormatIsJson()
    {
        var (_, report) = await TrustRuns.CheckJsonAsync(Repo.Example("good-main-branch.json"));

        var admitted = Assert.Single(TrustRuns.Roles(report)).AsObject()["admitted"]!.AsArray();
        var grant = Assert.Single(admitted)!;
        Assert.Equal("https://gitlab.com", (string)grant["provider"]!);
        Assert.Equal("branch", (string)grant["refType"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind": "exact", "values": ["acme/website"]}"""), grant["projects"]), grant.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind": "exact", "values": ["main"]}"""), grant["refs"]), grant.ToJsonString());
    }

    [Fact]
    public async Task Should_WriteAGitLabCodeQualityReport_When_CheckFormatIsCodeQuality()
    {
        var result = await KeylessCli.RunAsync("trust", "check", Repo.TrustExamples, "--now", Repo.Now, "--format", "codequality");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        var issues = Assert.IsType<JsonArray>(JsonNode.Parse(result.Output));
        Assert.NotEmpty(issues);
        foreach (var issue in issues)
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)issue!["description"]));
            Assert.Matches("^KL[0-9]{3} ", (string)issue["check_name"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)issue["fingerprint"]));
            Assert.Contains((string)issue["severity"]!, CodeQualitySeverities);
            Assert.True(File.Exists((string)issue["location"]!["path"]!), $"location.path {issue["location"]!["path"]} is not a file");
            Assert.True((int)issue["location"]!["lines"]!["begin"]! >= 1);
        }

        var fingerprints = issues.Select(i => (string)i!["fingerprint"]!).ToList();
        Assert.Equal(fingerprints.Count, fingerprints.Distinct().Count());
    }

    [Fact]
    public async Task Should_WriteOneJUnitCasePerRoleFailingOnErrors_When_CheckFormatIsJUnit()
    {
        var result = await KeylessCli.RunAsync("trust", "check", Repo.TrustExamples, "--now", Repo.Now, "--format", "junit");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        var cases = System.Xml.Linq.XDocument.Parse(result.Output).Descendants("testcase").ToList();
        var (_, report) = await TrustRuns.CheckJsonAsync(Repo.TrustExamples);
        var roles = TrustRuns.Roles(report);
        Assert.Equal(roles.Count, cases.Count);
        foreach (var role in roles)
        {
            var testCase = Assert.Single(cases, c => c.Attribute("name")!.Value == (string)role["role"]! && c.Attribute("file")!.Value == (string)role["source"]!);
            var errors = role["findings"]!.AsArray().Where(f => (string)f!["severity"]! == "error").Select(f => (string)f!["rule"]!).Distinct().ToList();
            var failure = testCase.Element("failure");
            Assert.Equal(errors.Count > 0, failure is not null);
            Assert.Equal(string.Join(" ", errors), failure?.Attribute("type")!.Value ?? "");
        }
    }

    [Fact]
    public async Task Should_WriteTheReportToTheFileAndTextToTheConsole_When_CheckOutputIsGiven()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "reports", "trust.sarif");

        var result = await KeylessCli.RunAsync("trust", "check", Repo.Example("good-main-branch.json"), "--now", Repo.Now, "--format", "sarif", "--output", file);

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Equal("2.1.0", (string)JsonNode.Parse(File.ReadAllText(file))!["version"]!);
        Assert.Contains("admits: projects", result.Output, StringComparison.Ordinal);
        Assert.Contains("note: sarif report written to", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_WriteTheSameTextToTheFileAsToTheConsole_When_CheckOutputFormatIsText()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "trust.txt");

        var result = await KeylessCli.RunAsync("trust", "check", Repo.TrustExamples, "--now", Repo.Now, "--output", file);

        CliAssert.ExitCode(ExitCodes.Failed, result);
        // The console wraps long lines at its width; the file keeps each line whole.
        Assert.Equal(Words(result.Output), Words(File.ReadAllText(file)));
        Assert.Contains("\n", File.ReadAllText(file).Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_WriteAnEmptyCodeQualityReport_When_NothingIsFound()
    {
        var result = await KeylessCli.RunAsync("trust", "check", Repo.Example("good-main-branch.json"), "--now", Repo.Now, "--format", "codequality");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Empty(Assert.IsType<JsonArray>(JsonNode.Parse(result.Output)));
    }

    [Fact]
    public async Task Should_WriteSarif210WithKnownRules_When_CheckFormatIsSarif()
    {
        var result = await KeylessCli.RunAsync("trust", "check", Repo.TrustExamples, "--now", Repo.Now, "--format", "sarif");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        var sarif = Assert.IsType<JsonObject>(JsonNode.Parse(result.Output));
        Assert.Equal("2.1.0", (string)sarif["version"]!);
        var run = sarif["runs"]![0]!;
        var ruleIds = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string)r!["id"]!).ToHashSet(StringComparer.Ordinal);
        var results = run["results"]!.AsArray();
        Assert.NotEmpty(results);
        foreach (var finding in results)
        {
            Assert.Contains((string)finding!["ruleId"]!, ruleIds);
            Assert.Contains((string)finding["level"]!, SarifLevels);
            Assert.False(string.IsNullOrWhiteSpace((string?)finding["message"]!["text"]));
            var location = Assert.Single(finding["locations"]!.AsArray())!;
            Assert.True(File.Exists((string)location["physicalLocation"]!["artifactLocation"]!["uri"]!));
        }

        // The same findings as the JSON report, one result each.
        var (_, report) = await TrustRuns.CheckJsonAsync(Repo.TrustExamples);
        Assert.Equal(TrustRuns.Findings(report).Count, results.Count);
    }

    [Fact]
    public async Task Should_WriteDecisionMessageAndConditions_When_SimulateFormatIsJson()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(Repo.Example("good-main-branch.json"), Repo.Claims("feature-branch.json"), "--format", "json");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        var simulation = Assert.IsType<JsonObject>(JsonNode.Parse(result.Output));
        Assert.Equal("AccessDenied", (string)simulation["decision"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)simulation["message"]));
        var conditions = simulation["evaluations"]![0]!["statements"]![0]!["conditions"]!.AsArray();
        Assert.NotEmpty(conditions);
        Assert.All(conditions, c => Assert.NotNull(c!["satisfied"]));
        var sub = Assert.Single(conditions, c => (string)c!["key"]! == "gitlab.com:sub")!;
        Assert.False((bool)sub["satisfied"]!);
    }

    private static string Words(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
}
