using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary><c>--claims -</c> and <c>--token -</c> read the command's standard input: the one its services give it.</summary>
public sealed class StandardInputTests
{
    [Fact]
    public async Task Should_ExitZero_When_ClaimsComeFromStandardInput()
    {
        var result = await SimulateAsync(
            await File.ReadAllTextAsync(Repo.Claims("main.json")),
            "--policy", Repo.Example("good-main-branch.json"), "--claims", "-");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ExitTwo_When_StandardInputIsNotAClaimsObject()
    {
        var result = await SimulateAsync("[1, 2]", "--policy", Repo.Example("good-main-branch.json"), "--claims", "-");

        CliAssert.UnusableInput(result);
    }

    [Fact]
    public async Task Should_ReadTheTokenFromStandardInput_When_TokenIsDash()
    {
        var token = UnsignedJwt.For(await File.ReadAllTextAsync(Repo.Claims("main.json")));

        var result = await SimulateAsync(token + "\n", "--policy", Repo.Example("good-main-branch.json"), "--token", "-");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.StartsWith("Allow for role good-main-branch", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Output + result.Errors, StringComparison.Ordinal);
    }

    private static async Task<CliResult> SimulateAsync(string input, params string[] options)
    {
        using var reader = new StringReader(input);
        return await KeylessCli.RunAsync(
            new KeylessServices { StandardInput = reader },
            ["trust", "simulate", .. options, "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab, "--now", Repo.Now]);
    }
}
