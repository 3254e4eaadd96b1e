using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;
using Spectre.Console.Cli;
using Spectre.Console.Testing;

namespace Keyless.Cli.Tests;

/// <summary>Help lists every option of the contract, and the examples it shows are valid command lines.</summary>
public sealed class HelpTests(ExampleWorkspace workspace) : IClassFixture<ExampleWorkspace>
{
    public static TheoryData<string> RunnableExamples()
    {
        var data = new TheoryData<string>();
        foreach (var example in DocumentedExamples.FromHelp().Where(e => DocumentedExamples.Needs(e) is null))
        {
            data.Add(example.CommandLine);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RunnableExamples))]
    public async Task Should_RunAsShown_When_AHelpExampleNeedsNoService(string commandLine)
    {
        var example = DocumentedExamples.FromHelp().Single(e => e.CommandLine == commandLine);

        var result = await workspace.RunAsync(example);

        workspace.AssertRan(example, result);
    }

    [Fact]
    public void Should_RunMostHelpExamples_When_TheyNeedNoService()
    {
        // The control for the test above: the examples of trust, token and site are not skipped as needing a service.
        var runnable = DocumentedExamples.FromHelp().Where(e => DocumentedExamples.Needs(e) is null).Select(e => e.Arguments[0] + " " + e.Arguments[1]).ToHashSet();

        Assert.Superset(new HashSet<string> { "trust simulate", "trust check", "token inspect", "token verify", "site check", "site build", "local down" }, runnable);
    }

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
        var result = await KeylessCli.RunAsync("trust", "simulate", "--help");

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
        var result = await KeylessCli.RunAsync("trust", "check", "--help");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains(option, result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_RunWithoutError_When_ConfiguredExamplesAreValidated()
    {
        using var output = new TestConsole().Width(KeylessCli.ConsoleWidth);
        using var errors = new TestConsole().Width(KeylessCli.ConsoleWidth);
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
        using var output = new TestConsole().Width(KeylessCli.ConsoleWidth);
        using var errors = new TestConsole().Width(KeylessCli.ConsoleWidth);
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
        var result = await KeylessCli.RunAsync("trust", command, "--help");

        var files = result.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Where(word => word.StartsWith("examples/", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.True(Path.Exists(Path.Combine(Repo.Root, file)), $"help names {file}, which the repository does not have"));
    }
}
