using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary><c>trust check</c> over the real examples: what fails, what passes, and expectations.</summary>
public sealed class TrustCheckTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Should_ExitOne_When_ExamplesFolderHoldsBadPolicies()
    {
        var result = await KeylessCli.RunAsync("trust", "check", Repo.TrustExamples, "--now", Repo.Now);

        CliAssert.ExitCode(ExitCodes.Failed, result);
        Assert.Contains("FAIL bad-any-branch", result.Output, StringComparison.Ordinal);
        Assert.Contains("ok good-main-branch", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ReportAFindingForEveryRole_When_RoleComesFromABadExample()
    {
        var (_, report) = await TrustRuns.CheckJsonAsync(Repo.TrustExamples);
        var roles = TrustRuns.Roles(report);

        foreach (var file in Repo.ExampleFiles("bad-*.json"))
        {
            var rolesOfFile = roles.Where(r => Path.GetFileName((string)r["source"]!) == file).ToList();
            Assert.True(rolesOfFile.Count > 0, $"{file}: no role in the report");
            foreach (var role in rolesOfFile)
            {
                Assert.True(role["findings"]!.AsArray().Count > 0, $"{file}: role {role["role"]} has no finding");
            }
        }
    }

    [Fact]
    public async Task Should_GiveAWitness_When_FindingSaysTheRoleAdmitsTooMuch()
    {
        var (_, report) = await TrustRuns.CheckJsonAsync(Repo.TrustExamples);

        var admitsTooMuch = TrustRuns.Findings(report).Where(f => TrustRuns.AdmitsTooMuchRules.Contains(f.Rule)).ToList();

        Assert.NotEmpty(admitsTooMuch);
        Assert.All(admitsTooMuch, f => Assert.True(f.Witness is not null, $"{f.Role} {f.Rule}: no witness"));
    }

    [Fact]
    public async Task Should_ReportNoErrorOrWarning_When_RoleComesFromAGoodExample()
    {
        var (_, report) = await TrustRuns.CheckJsonAsync(Repo.TrustExamples);
        var goodFiles = Repo.ExampleFiles("good-*.json");

        var goodRoles = TrustRuns.Roles(report).Where(r => goodFiles.Contains(Path.GetFileName((string)r["source"]!))).ToList();
        var complaints = TrustRuns.Findings(report)
            .Where(f => goodFiles.Contains(Path.GetFileName(f.Source)) && f.Severity is "error" or "warning")
            .ToList();

        Assert.Equal(goodFiles.Count, goodRoles.Count);
        Assert.Empty(complaints);
    }

    [Fact]
    public async Task Should_ExitZero_When_GoodExamplesMeetTheirExpectations()
    {
        var result = await KeylessCli.RunAsync(
            ["trust", "check", .. GoodExamples(), "--expect", Repo.Expectations("roles.json"), "--now", Repo.Now]);

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains("3 role(s) checked: 0 error(s), 0 warning(s)", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ReportAdmitsLessWithADeniedWitness_When_ExpectationAddsABranch()
    {
        var policy = Repo.Example("good-main-branch.json");
        var expectations = _temp.Write("expect.json", """
            {"roles": {"good-main-branch": {"project": "acme/website", "projectId": "27182818", "refs": ["branch:main", "branch:develop"], "protected": true}}}
            """);

        var (result, report) = await TrustRuns.CheckJsonAsync(policy, "--expect", expectations);

        CliAssert.ExitCode(ExitCodes.Failed, result);
        var finding = Assert.Single(TrustRuns.Findings(report), f => f.Rule == "KL021");
        Assert.Equal("error", finding.Severity);
        Assert.NotNull(finding.Witness);
        Assert.EndsWith("ref:develop", (string)finding.Witness["sub"]!, StringComparison.Ordinal);

        // The witness is the expected deploy; STS would deny it.
        var replay = await TrustRuns.ReplayWitnessAsync(_temp, policy, finding.Witness);
        CliAssert.ExitCode(ExitCodes.Failed, replay);
        Assert.Contains("AccessDenied", replay.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ReportAdmitsMoreWithAnAllowedWitness_When_ExpectationNarrowsTheTags()
    {
        var policy = Repo.Example("good-release-tags.json");
        var expectations = _temp.Write("expect.json", """
            {"roles": {"good-release-tags": {"project": "acme/website", "projectId": "27182818", "refs": ["tag:v1.*"], "protected": true}}}
            """);

        var (result, report) = await TrustRuns.CheckJsonAsync(policy, "--expect", expectations);

        CliAssert.ExitCode(ExitCodes.Failed, result);
        var finding = Assert.Single(TrustRuns.Findings(report), f => f.Rule == "KL020");
        Assert.Equal("error", finding.Severity);
        Assert.NotNull(finding.Witness);
        Assert.Equal("tag", (string)finding.Witness["ref_type"]!);
        Assert.DoesNotMatch("^v1\\.", (string)finding.Witness["ref"]!);

        // The witness is a tag outside the expectation; STS would let it in.
        var replay = await TrustRuns.ReplayWitnessAsync(_temp, policy, finding.Witness);
        CliAssert.ExitCode(ExitCodes.Success, replay);
    }

    private static string[] GoodExamples() => [.. Repo.ExampleFiles("good-*.json").Select(Repo.Example)];
}
