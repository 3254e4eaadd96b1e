namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>Paths into the repository the tests run from, so they exercise the real examples.</summary>
internal static class Repo
{
    /// <summary>The time the example claims were issued at (iat); their exp is an hour later.</summary>
    public const string Now = "1893456000";

    public static string Root { get; } = Repository.Root;

    /// <summary>The user documentation: README.md and every page of docs/, relative to the root.</summary>
    public static IReadOnlyList<string> DocumentationFiles { get; } =
        ["README.md", .. Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal)];

    /// <summary>All of the documentation as one text, for what must be stated somewhere in it.</summary>
    public static string Documentation { get; } = string.Join("\n", DocumentationFiles.Select(f => File.ReadAllText(Path.Combine(Root, f))));

    public static string TrustExamples => Path.Combine(Root, "examples", "trust");

    public static string Example(string fileName) => Path.Combine(TrustExamples, fileName);

    public static string Claims(string fileName) => Path.Combine(TrustExamples, "claims", fileName);

    public static string Expectations(string fileName) => Path.Combine(TrustExamples, "expectations", fileName);

    public static IReadOnlyList<string> ExampleFiles(string pattern) =>
        [.. Directory.GetFiles(TrustExamples, pattern).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
