using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary>The readable output says why: the failing condition and the token's value.</summary>
public sealed class TextOutputTests
{
    [Fact]
    public async Task Should_NameFailingConditionKeyAndTokenValue_When_SimulationIsDenied()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(Repo.Example("good-main-branch.json"), Repo.Claims("feature-branch.json"));

        CliAssert.ExitCode(ExitCodes.Failed, result);
        var lines = result.Output.Split('\n');
        Assert.StartsWith("AccessDenied", lines[0], StringComparison.Ordinal);
        var condition = Array.FindIndex(lines, l => l.Contains('✗', StringComparison.Ordinal) && l.Contains("gitlab.com:sub", StringComparison.Ordinal));
        Assert.True(condition >= 0, $"no failing gitlab.com:sub condition in{Environment.NewLine}{result.Output}");
        Assert.Contains("feature/login", lines[condition + 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_SayAllow_When_SimulationIsAllowed()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(Repo.Example("good-main-branch.json"), Repo.Claims("main.json"));

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.StartsWith("Allow for role good-main-branch", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("✗", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_PrintTheWitness_When_CheckFindsAHijack()
    {
        var result = await KeylessCli.RunAsync("trust", "check", Repo.Example("bad-namespace-prefix.json"), "--now", Repo.Now);

        CliAssert.ExitCode(ExitCodes.Failed, result);
        Assert.Contains("KL002", result.Output, StringComparison.Ordinal);
        Assert.Contains("witness: sub project_path:acme-", result.Output, StringComparison.Ordinal);
    }
}
