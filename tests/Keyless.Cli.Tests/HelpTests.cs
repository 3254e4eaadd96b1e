using Keyless.Cli.Tests.Infrastructure;
using Spectre.Console.Cli;
using Spectre.Console.Testing;

namespace Keyless.Cli.Tests;

/// <summary>Help lists every option of the contract, and the examples it shows are valid command lines.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("--policy <FILE>")]
    [InlineData("--claims <FILE>")]
    [InlineData("--provider-url <URL>")]
    [InlineData("--client-id <ID>")]
    [InlineData("--account <ID>")]
    [InlineData("--now <UNIX_SECONDS>")]
    [InlineData("--duration-seconds <N>")]
    [InlineData("--max-session-duration <N>")]
    [InlineData("--role-session-name <NAME>")]
    [InlineData("--role <LOGICAL_ID_OR_NAME>")]
    [InlineData("--format <FORMAT>")]
    public async Task Should_ListTheOption_When_SimulateHelpIsAsked(string option)
    {
        var result = await CliRunner.RunAsync("trust", "simulate", "--help");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains(option, result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("<PATH>")]
    [InlineData("--expect <FILE>")]
    [InlineData("--format <FORMAT>")]
    [InlineData("codequality")]
    [InlineData("sarif")]
    public async Task Should_ListTheOption_When_CheckHelpIsAsked(string option)
    {
        var result = await CliRunner.RunAsync("trust", "check", "--help");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains(option, result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_RunWithoutError_When_ConfiguredExamplesAreValidated()
    {
        using var output = new TestConsole().Width(CliRunner.ConsoleWidth);
        using var errors = new TestConsole().Width(CliRunner.ConsoleWidth);
        var app = new CommandApp();
        app.Configure(config =>
        {
            KeylessApp.Configure(config, output, errors);
            config.ValidateExamples();
        });

        var exitCode = await app.RunAsync(["--help"]);

        Assert.True(exitCode == ExitCodes.Success, $"exit code {exitCode}: {errors.Output}");
        Assert.Empty(errors.Output);
    }

    [Fact]
    public async Task Should_FailValidation_When_AnExampleIsNotACommandLine()
    {
        // The control for the test above: ValidateExamples does run on --help.
        using var output = new TestConsole().Width(CliRunner.ConsoleWidth);
        using var errors = new TestConsole().Width(CliRunner.ConsoleWidth);
        var app = new CommandApp();
        app.Configure(config =>
        {
            KeylessApp.Configure(config, output, errors);
            config.AddExample("trust", "simulat");
            config.ValidateExamples();
        });

        var exitCode = await app.RunAsync(["--help"]);

        Assert.NotEqual(ExitCodes.Success, exitCode);
    }

    [Theory]
    [InlineData("simulate")]
    [InlineData("check")]
    public async Task Should_NameExistingExampleFiles_When_HelpShowsExamples(string command)
    {
        var result = await CliRunner.RunAsync("trust", command, "--help");

        var files = result.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Where(word => word.StartsWith("examples/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.True(Path.Exists(Path.Combine(Repo.Root, file)), $"help names {file}, which the repository does not have"));
    }
}
