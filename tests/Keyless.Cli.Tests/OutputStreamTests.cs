using System.Reflection;
using System.Text.Json.Nodes;
using Keyless.Cli.Tests.Infrastructure;
using Spectre.Console.Cli.Help;

namespace Keyless.Cli.Tests;

/// <summary>
/// Results on stdout, warnings and errors on stderr; redirected output is never wrapped and has no box drawing;
/// <c>--version</c>; "did you mean" for mistyped names.
/// </summary>
public sealed class OutputStreamTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        foreach (var command in LeafCommands(KeylessApp.Model(new KeylessServices())))
        {
            data.Add(command);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Should_WriteNothingOnStdout_When_ACommandFailsOnItsCommandLine(string command)
    {
        var result = await CliRunner.RunAsync([.. command.Split(' '), "--no-such-option"]);

        CliAssert.UnusableInput(result);
    }

    [Fact]
    public async Task Should_PrintALongValueOnOneLineWithoutBoxDrawing_When_OutputIsRedirected()
    {
        // A claim of 600 characters of words: wrapping would break it between (or inside) words.
        var description = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"word{i:D2}"));
        var token = _folder.Write("token.jwt", UnsignedJwt.For($$"""{"iss":"https://gitlab.com","sub":"project_path:acme/website:ref_type:branch:ref:main","description":"{{description}}","exp":1893459600}"""));

        var result = await CliRunner.RunRedirectedAsync("token", "inspect", "--token", token, "--now", Repo.Now);

        Assert.Contains(result.Output.Split('\n'), line => line.Contains(description, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Output, IsBoxDrawing);
    }

    [Fact]
    public async Task Should_NotWrapOrDrawBoxes_When_TheRealProgramIsPiped()
    {
        var description = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"word{i:D2}"));
        var token = _folder.Write("token.jwt", UnsignedJwt.For($$"""{"iss":"https://gitlab.com","sub":"project_path:acme/website:ref_type:branch:ref:main","description":"{{description}}","exp":1893459600}"""));

        var result = await KeylessProcess.RunAsync(_folder.Path, ["token", "inspect", "--token", token, "--now", Repo.Now]);

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains(result.Output.Split('\n'), line => line.Contains(description, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Output, IsBoxDrawing);
        Assert.DoesNotContain("\u001b[", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_KeepEveryFindingOnOneLine_When_TrustCheckIsRedirected()
    {
        var result = await CliRunner.RunRedirectedAsync("trust", "check", Repo.TrustExamples, "--now", Repo.Now);
        var (_, report) = await TrustRuns.CheckJsonAsync(Repo.TrustExamples);

        // Every finding's message is printed whole, on one line, however long.
        var lines = result.Output.Split('\n');
        Assert.Contains(TrustRuns.Findings(report), finding => finding.Message.Length > 200);
        Assert.All(TrustRuns.Findings(report), finding => Assert.Contains(lines, line => line.EndsWith(finding.Message, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Should_PrintTheAssemblyVersion_When_VersionIsAsked()
    {
        var expected = typeof(KeylessApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        var result = await KeylessProcess.RunAsync(_folder.Path, ["--version"]);

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Equal(expected, result.Output.Trim());
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("Did you mean 'simulate'?", "trust", "simulat")]
    [InlineData("Did you mean 'trust'?", "tust", "check", "x")]
    [InlineData("Did you mean 'deploy'?", "depoly", "--site", "dist")]
    [InlineData("Did you mean --policy?", "trust", "simulate", "--polcy", "p.json")]
    [InlineData("Did you mean --policy?", "trust", "simulate", "-polcy", "p.json")]
    [InlineData("Did you mean --format?", "trust", "check", "examples/trust", "--fromat", "json")]
    [InlineData("Did you mean --dry-run?", "deploy", "--dryrun")]
    [InlineData("Did you mean --provider-url?", "trust", "check", "x", "--provider")]
    [InlineData("Did you mean --version?", "--verison")]
    public async Task Should_SuggestTheClosestName_When_ACommandOrOptionIsMistyped(string hint, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        CliAssert.UnusableInput(result);
        Assert.Contains(hint, result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("trust", "simulate", "--xyzzy")]
    [InlineData("frobnicate")]
    public async Task Should_SuggestNothing_When_NoNameIsClose(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        CliAssert.UnusableInput(result);
        Assert.DoesNotContain("Did you mean", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_PutProviderWarningsOnStderr_When_SimulateTextOrJson()
    {
        var options = new[] { "--provider-url", "https://gitlab.com", "--provider-url", "http://gitlab.example.com:8080", "--client-id", "https://gitlab.com", "--now", Repo.Now };

        var text = await TrustRuns.SimulateAsync(Repo.Example("good-main-branch.json"), Repo.Claims("main.json"), options);
        var json = await TrustRuns.SimulateAsync(Repo.Example("good-main-branch.json"), Repo.Claims("main.json"), [.. options, "--format", "json"]);

        CliAssert.ExitCode(ExitCodes.Success, text);
        Assert.DoesNotContain("warning", text.Output, StringComparison.Ordinal);
        Assert.StartsWith("warning:", text.Errors, StringComparison.Ordinal);
        Assert.Contains("http://gitlab.example.com:8080", text.Errors, StringComparison.Ordinal);
        Assert.Equal("Allow", (string?)JsonNode.Parse(json.Output)!["decision"]);
        Assert.Equal(text.Errors, json.Errors);
    }

    [Fact]
    public async Task Should_PutBuildWarningsOnStderr_When_AReferenceNamesNoFile()
    {
        var site = Path.Combine(_folder.Path, "site");
        Directory.CreateDirectory(site);
        File.WriteAllText(Path.Combine(site, "index.html"), """<!doctype html><html lang="en"><head><title>t</title><link rel="stylesheet" href="missing.css"></head><body></body></html>""");

        var result = await CliRunner.RunAsync("site", "build", "--site", site, "--out", Path.Combine(_folder.Path, "dist"));

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.StartsWith("Built ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("missing.css", result.Output, StringComparison.Ordinal);
        Assert.StartsWith("warning: index.html: missing.css names no file", result.Errors, StringComparison.Ordinal);
    }

    private static bool IsBoxDrawing(char c) => c is >= '\u2500' and <= '\u257F';

    private static IEnumerable<string> LeafCommands(ICommandContainer container, string prefix = "") =>
        container.Commands.SelectMany(c => c.IsBranch ? LeafCommands(c, prefix + c.Name + " ") : [prefix + c.Name]);
}
