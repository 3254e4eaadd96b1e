using System.Reflection;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;
using Keyless.Trust.Analysis;
using Spectre.Console.Cli.Help;

namespace Keyless.Cli.Tests;

/// <summary>The documentation (README.md and docs/) is the user's contract: it must name every rule and every exit code the code has, and show what the commands really print.</summary>
public sealed partial class DocumentationTests(ExampleWorkspace workspace) : IClassFixture<ExampleWorkspace>
{
    private static readonly string Readme = Repo.Documentation;

    public static TheoryData<string> RunnableReadmeExamples()
    {
        var data = new TheoryData<string>();
        foreach (var example in DocumentedExamples.FromDocumentation().Where(e => DocumentedExamples.Needs(e) is null))
        {
            data.Add(example.CommandLine);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RunnableReadmeExamples))]
    public async Task Should_PrintWhatTheReadmeShows_When_ItsExampleRuns(string commandLine)
    {
        var example = DocumentedExamples.FromDocumentation().First(e => e.CommandLine == commandLine);

        var result = await workspace.RunAsync(example);

        workspace.AssertRan(example, result);
    }

    [Fact]
    public void Should_FindTheReadmesExamplesWithTheirOutput_When_ItIsRead()
    {
        // The control for the test above: the simulate example and its output are found, so they are compared.
        var examples = DocumentedExamples.FromDocumentation();

        Assert.Contains(examples, e => e.Arguments is ["trust", "simulate", ..] && e.ShownOutput.Count > 5 && DocumentedExamples.Needs(e) is null);
        Assert.Contains(examples, e => e.Arguments is ["site", "build"]);
    }

    [Fact]
    public void Should_ReportTheFirstDifference_When_OutputDiffersFromWhatTheReadmeShows()
    {
        string[] shown = ["first", "  …", "third", "fourth"];

        Assert.Null(DocumentedExamples.Mismatch(shown, "first\nsecond\n\nthird\nfourth\n"));
        Assert.NotNull(DocumentedExamples.Mismatch(shown, "first\nsecond\nthird\nextra\nfourth\n"));
        Assert.NotNull(DocumentedExamples.Mismatch(shown, "first\nsecond\nfourth\nthird\n"));
        Assert.NotNull(DocumentedExamples.Mismatch(["first", "second"], "first\nsecond changed\n"));
    }

    public static TheoryData<string> Synopses()
    {
        var data = new TheoryData<string>();
        foreach (var synopsis in DocumentedExamples.Synopses(Readme))
        {
            data.Add(synopsis);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Synopses))]
    public void Should_ShowExactlyTheCommandsOptions_When_TheReadmeShowsItsUsage(string synopsis)
    {
        ICommandContainer container = KeylessApp.Model(new KeylessServices());
        foreach (var word in synopsis.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            container = container.Commands.FirstOrDefault(c => c.Name == word) is { } child ? child : container;
        }

        var command = Assert.IsAssignableFrom<ICommandInfo>(container);
        var shown = System.Text.RegularExpressions.Regex.Matches(synopsis, "--([a-z][a-z-]*)").Select(m => m.Groups[1].Value).ToHashSet();
        var options = command.Parameters.OfType<ICommandOption>().SelectMany(o => o.LongNames).ToHashSet();
        var missing = options.Except(shown).Order(StringComparer.Ordinal).ToList();
        var unknown = shown.Except(options).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && unknown.Count == 0, $"README's usage of keyless {command.Name}: missing [{string.Join(", ", missing)}], not options [{string.Join(", ", unknown)}]");
    }

    [Fact]
    public void Should_AskForTheConfiguredAudience_When_TheReadmeShowsAJobsIdToken()
    {
        // A job's token must carry an aud the project's provider lists: keyless.json's gitlab.audience.
        var audience = (string)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "keyless.json")))!["gitlab"]!["audience"]!;
        var requested = System.Text.RegularExpressions.Regex.Matches(Readme, @"KEYLESS_ID_TOKEN: ?\{ ?aud: ?([^ }]+)").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(requested);
        Assert.All(requested, aud => Assert.Equal(audience, aud));
    }

    public static TheoryData<string, string> RuleRows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var rule in Rules.All)
        {
            rows.Add(rule.Id, rule.Name);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(RuleRows))]
    public void Should_DocumentRule_When_TheAnalyzerHasIt(string id, string name)
    {
        Assert.Contains($"| {id} | {name} |", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_DocumentEveryExitCode_When_ExitCodesDefinesIt()
    {
        var codes = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetRawConstantValue()!).ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.Contains($"| {code} |", Readme, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_HaveExactlyTwoQuickStartCommands_When_ReadmeIsRead()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var quickStart = readme[readme.IndexOf("## Quick start", StringComparison.Ordinal)..];
        var block = quickStart[(quickStart.IndexOf("```bash", StringComparison.Ordinal) + 7)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];

        var commands = block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, commands.Length);
        Assert.StartsWith("./test", commands[1], StringComparison.Ordinal);
        Assert.Equal("exec ./test", File.ReadAllLines(Path.Combine(Repo.Root, ".ci", "run")).Last(l => l.Length > 0));
    }

    [Fact]
    public void Should_StayShortAndReachEveryPage_When_ReadmeIsRead()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var linked = MarkdownLinks().Matches(readme).Select(m => m.Groups["target"].Value.Split('#')[0]).ToHashSet(StringComparer.Ordinal);

        Assert.True(readme.Split('\n').Length < 250, "README.md is meant to be short: what, Quick start, tour, links");
        Assert.All(Repo.DocumentationFiles.Where(f => f.StartsWith("docs", StringComparison.Ordinal)), page => Assert.Contains(page.Replace('\\', '/'), linked));
    }

    public static TheoryData<string> MarkdownFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Repo.DocumentationFiles.Append(Path.Combine("bench", "README.md")))
        {
            data.Add(file);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Should_LinkOnlyToFilesOfTheRepository_When_ALinkIsRelative(string file)
    {
        // Users have the repository and nothing beside it: a relative link must name a file or folder in it.
        var folder = Path.GetDirectoryName(Path.Combine(Repo.Root, file))!;
        var broken = MarkdownLinks().Matches(File.ReadAllText(Path.Combine(Repo.Root, file)))
            .Select(m => m.Groups["target"].Value.Split('#')[0])
            .Where(target => target.Length > 0 && !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
            .Where(target =>
            {
                var full = Path.GetFullPath(Path.Combine(folder, target));
                return !full.StartsWith(Repo.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !(File.Exists(full) || Directory.Exists(full));
            })
            .ToList();

        Assert.True(broken.Count == 0, $"{file} links to what is not in the repository: {string.Join(", ", broken)}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial System.Text.RegularExpressions.Regex MarkdownLinks();
}
