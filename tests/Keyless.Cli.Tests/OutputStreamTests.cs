using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;
using Spectre.Console.Cli.Help;

namespace Keyless.Cli.Tests;

/// <summary>
/// Results on stdout, warnings and errors on stderr; redirected output is never wrapped and has no box drawing;
/// <c>--version</c>; "did you mean" for mistyped names.
/// </summary>
public sealed partial class OutputStreamTests : IDisposable
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
        var result = await KeylessCli.RunAsync([.. command.Split(' '), "--no-such-option"]);

        CliAssert.UnusableInput(result);
    }

    [Fact]
    public async Task Should_PrintALongValueOnOneLineWithoutBoxDrawing_When_OutputIsRedirected()
    {
        // A claim of 600 characters of words: wrapping would break it between (or inside) words.
        var description = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"word{i:D2}"));
        var token = _folder.Write("token.jwt", UnsignedJwt.For($$"""{"iss":"https://gitlab.com","sub":"project_path:acme/website:ref_type:branch:ref:main","description":"{{description}}","exp":1893459600}"""));

        var result = await KeylessCli.RunRedirectedAsync("token", "inspect", "--token", token, "--now", Repo.Now);

        Assert.Contains(result.Output.Split('\n'), line => line.Contains(description, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Output, IsBoxDrawing);
    }

    [Fact]
    public async Task Should_NotWrapOrDrawBoxes_When_TheRealProgramIsPiped()
    {
        var description = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"word{i:D2}"));
        var token = _folder.Write("token.jwt", UnsignedJwt.For($$"""{"iss":"https://gitlab.com","sub":"project_path:acme/website:ref_type:branch:ref:main","description":"{{description}}","exp":1893459600}"""));

        var result = (await KeylessProcess.RunAsync(_folder.Path, ["token", "inspect", "--token", token, "--now", Repo.Now])).AsCliResult();

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains(result.Output.Split('\n'), line => line.Contains(description, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Output, IsBoxDrawing);
        Assert.DoesNotContain("\u001b[", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_KeepEveryFindingOnOneLine_When_TrustCheckIsRedirected()
    {
        var result = await KeylessCli.RunRedirectedAsync("trust", "check", Repo.TrustExamples, "--now", Repo.Now);
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

        var result = (await KeylessProcess.RunAsync(_folder.Path, ["--version"])).AsCliResult();

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
        var result = await KeylessCli.RunAsync(args);

        CliAssert.UnusableInput(result);
        Assert.Contains(hint, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_SuggestAnOptionOneEditAway_When_AnyOptionOfAnyCommandHasOneTypo()
    {
        var model = KeylessApp.Model(new KeylessServices());
        var options = LeafCommands(model).SelectMany(path => OptionNames(model, path).Select(name => (Path: path, Name: name))).ToList();
        var typos = Gen.Select(Gen.Int[0, options.Count - 1], Gen.Int[0, 3], Gen.Int[0, 63], Gen.Char['a', 'z'])
            .Select(t => (options[t.Item1].Path, Typed: Typo(options[t.Item1].Name, t.Item2, t.Item3, t.Item4)))
            .Where(t => t.Typed.Length >= 2 && !AllNames(model, t.Path).Contains(t.Typed));

        await typos.SampleAsync(
            async t =>
            {
                var result = await KeylessCli.RunAsync([.. t.Path.Split(' '), "--" + t.Typed]);

                CliAssert.UnusableInput(result);
                var suggested = SuggestedOption().Match(result.Errors);
                Assert.True(suggested.Success, $"no suggestion for --{t.Typed} of {t.Path}: {result}");
                Assert.Contains(suggested.Groups[1].Value, OptionNames(model, t.Path));
                Assert.Equal(1, MistypedNames.Distance(t.Typed.ToLowerInvariant(), suggested.Groups[1].Value.ToLowerInvariant()));
            },
            iter: 150);
    }

    [Theory]
    [InlineData("trust", "simulate", "--xyzzy")]
    [InlineData("frobnicate")]
    public async Task Should_SuggestNothing_When_NoNameIsClose(params string[] args)
    {
        var result = await KeylessCli.RunAsync(args);

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

        var result = await KeylessCli.RunAsync("site", "build", "--site", site, "--out", Path.Combine(_folder.Path, "dist"));

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.StartsWith("Built ", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("missing.css", result.Output, StringComparison.Ordinal);
        Assert.StartsWith("warning: index.html: missing.css names no file", result.Errors, StringComparison.Ordinal);
    }

    /// <summary>One typo: a character deleted, inserted or replaced, or two neighbours swapped.</summary>
    private static string Typo(string name, int kind, int position, char c)
    {
        var at = position % name.Length;
        return kind switch
        {
            0 => name.Remove(at, 1),
            1 => name.Insert(at, c.ToString()),
            2 => name.Remove(at, 1).Insert(at, c.ToString()),
            _ => at + 1 < name.Length ? string.Concat(name[..at], name[at + 1].ToString(), name[at].ToString(), name[(at + 2)..]) : name,
        };
    }

    private static ICommandInfo Command(ICommandModel model, string path) =>
        path.Split(' ').Aggregate<string, ICommandContainer>(model, (container, name) => container.Commands.Single(c => c.Name == name)) as ICommandInfo
        ?? throw new InvalidOperationException(path);

    private static IReadOnlyList<string> OptionNames(ICommandModel model, string path) =>
        [.. Command(model, path).Parameters.OfType<ICommandOption>().SelectMany(o => o.LongNames)];

    private static HashSet<string> AllNames(ICommandModel model, string path) =>
        [.. Command(model, path).Parameters.OfType<ICommandOption>().SelectMany(o => o.LongNames.Concat(o.ShortNames)), "help", "h", "version"];

    [GeneratedRegex("Did you mean --([a-z-]+)\\?")]
    private static partial Regex SuggestedOption();

    private static bool IsBoxDrawing(char c) => c is >= '\u2500' and <= '\u257F';

    private static IEnumerable<string> LeafCommands(ICommandContainer container, string prefix = "") =>
        container.Commands.SelectMany(c => c.IsBranch ? LeafCommands(c, prefix + c.Name + " ") : [prefix + c.Name]);
}
