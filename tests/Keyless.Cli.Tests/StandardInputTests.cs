using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary>Tests that replace the process's standard input; they run alone.</summary>
[CollectionDefinition(nameof(ReplacesStandardInput), DisableParallelization = true)]
public sealed class ReplacesStandardInput;

/// <summary><c>--claims -</c> reads the token's claims from standard input.</summary>
[Collection(nameof(ReplacesStandardInput))]
public sealed class StandardInputTests
{
    [Fact]
    public async Task Should_ExitZero_When_ClaimsComeFromStandardInput()
    {
        var result = await WithStandardInputAsync(
            await File.ReadAllTextAsync(Repo.Claims("main.json")),
            () => TrustRuns.SimulateOnGitLabAsync(Repo.Example("good-main-branch.json"), "-"));

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ExitTwo_When_StandardInputIsNotAClaimsObject()
    {
        var result = await WithStandardInputAsync(
            "[1, 2]",
            () => TrustRuns.SimulateOnGitLabAsync(Repo.Example("good-main-branch.json"), "-"));

        CliAssert.UnusableInput(result);
    }

    [Fact]
    public async Task Should_ReadTheTokenFromStandardInput_When_TokenIsDash()
    {
        var token = UnsignedJwt.For(await File.ReadAllTextAsync(Repo.Claims("main.json")));

        var result = await WithStandardInputAsync(
            token + "\n",
            () => CliRunner.RunAsync("trust", "simulate", "--policy", Repo.Example("good-main-branch.json"), "--token", "-", "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab, "--now", Repo.Now));

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.StartsWith("Allow for role good-main-branch", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Output + result.Errors, StringComparison.Ordinal);
    }

    private static async Task<CliResult> WithStandardInputAsync(string input, Func<Task<CliResult>> run)
    {
        var original = Console.In;
        using var reader = new StringReader(input);
        Console.SetIn(reader);
        try
        {
            return await run();
        }
        finally
        {
            Console.SetIn(original);
        }
    }
}
