using System.Reflection;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Trust.Analysis;

namespace Keyless.Cli.Tests;

/// <summary>The README is the user's contract: it must name every rule and every exit code the code has.</summary>
public sealed class DocumentationTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));

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
        var quickStart = Readme[Readme.IndexOf("## Quick start", StringComparison.Ordinal)..];
        var block = quickStart[(quickStart.IndexOf("```bash", StringComparison.Ordinal) + 7)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];

        var commands = block.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, commands.Length);
        Assert.StartsWith("./test", commands[1], StringComparison.Ordinal);
        Assert.Equal("exec ./test", File.ReadAllLines(Path.Combine(Repo.Root, ".ci", "run")).Last(l => l.Length > 0));
    }
}
