using Keyless.Cli.Tests.Infrastructure;

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
