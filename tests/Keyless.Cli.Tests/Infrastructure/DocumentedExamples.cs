using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keyless.Cli.Tests.Support;
using Keyless.Core;
using Keyless.Local.Issuer;
using Spectre.Console.Cli.Help;

namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>A command line shown to users: in <c>--help</c> or in the README, with the output the README shows for it.</summary>
internal sealed record DocumentedExample(string Source, IReadOnlyList<string> Arguments, IReadOnlyList<string> ShownOutput)
{
    public string CommandLine => string.Join(' ', Arguments);

    public override string ToString() => $"{Source}: keyless {CommandLine}";
}

/// <summary>
/// Every example users are shown, what it needs and what it must do. Those that need no running service run as
/// the real program in a copy of the repository's examples, site and keyless.json.
/// </summary>
internal static partial class DocumentedExamples
{
    /// <summary>Examples that cannot run in a test: they need a service, the network, or a synthesized template.</summary>
    public static string? Needs(DocumentedExample example)
    {
        var args = example.Arguments;
        var command = string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2));
        return command switch
        {
            "local issuer" or "local sts" => "serves until stopped",
            "local up" => "the whole local cloud and a pipeline run (the end-to-end tests run it)",
            "local token" => "a running `keyless local issuer`",
            "local apply" => "moto",
            "init" when !args.Contains("--project") => "a git repository whose remote is a GitLab project (InitTests runs the documented ones in one, in order)",
            _ when args[0] is "deploy" or "rollback" or "releases" or "prune" => "an S3 bucket",
            _ when args[0] == "exec" => "AWS STS",
            "token verify" when !args.Contains("--jwks") => "gitlab.com's published keys",
            _ when args.Contains("cdk.out") => "a template synthesized by the CDK app",
            _ => null,
        };
    }

    /// <summary>The exit code an example must end with: 0, except where it shows a refusal.</summary>
    public static int ExitCode(DocumentedExample example) =>
        example.ShownOutput is [var first, ..] && first.StartsWith("AccessDenied", StringComparison.Ordinal) ? ExitCodes.Failed
        : example.Arguments is ["trust", "check", var path, ..] && path.StartsWith("examples/trust", StringComparison.Ordinal) ? ExitCodes.Failed // the bundled bad examples are bad
        : ExitCodes.Success;

    public static IReadOnlyList<DocumentedExample> FromHelp()
    {
        var examples = new List<DocumentedExample>();
        void Collect(ICommandContainer container)
        {
            examples.AddRange(container.Examples.Select(e => new DocumentedExample("--help", e, [])));
            foreach (var command in container.Commands)
            {
                Collect(command);
            }
        }

        Collect(KeylessApp.Model(new KeylessServices()));
        return [.. examples.DistinctBy(e => e.CommandLine)];
    }

    /// <summary>
    /// The README's examples: commands of <c>console</c> blocks (<c>$ ./keyless …</c>, continued by a trailing
    /// backslash) with the output shown under them, and <c>./keyless …</c> lines of <c>bash</c> blocks (comments
    /// dropped). Untagged blocks are usage synopses, not examples.
    /// </summary>
    public static IReadOnlyList<DocumentedExample> FromDocumentation() =>
        [.. Repo.DocumentationFiles.SelectMany(file => FromReadme(File.ReadAllText(Path.Combine(Repo.Root, file)), file)).DistinctBy(e => e.CommandLine)];

    public static IReadOnlyList<DocumentedExample> FromReadme(string readme, string file = "README.md")
    {
        var examples = new List<DocumentedExample>();
        foreach (Match block in FencedBlock().Matches(readme))
        {
            var language = block.Groups["language"].Value;
            var lines = block.Groups["body"].Value.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (language == "console" && lines[i].StartsWith("$ ./keyless ", StringComparison.Ordinal))
                {
                    var command = lines[i]["$ ./keyless ".Length..];
                    while (command.EndsWith('\\'))
                    {
                        command = command[..^1] + " " + lines[++i].Trim();
                    }

                    var shown = lines.Skip(i + 1).TakeWhile(l => !l.StartsWith("$ ", StringComparison.Ordinal)).Where(l => l.Length > 0).ToList();
                    examples.Add(new DocumentedExample(file, Split(command), shown));
                }
                else if (language == "bash" && lines[i].StartsWith("./keyless ", StringComparison.Ordinal))
                {
                    examples.Add(new DocumentedExample(file, Split(TrailingComment().Replace(lines[i]["./keyless ".Length..], "")), []));
                }
            }
        }

        return examples;
    }

    /// <summary>The README's usage synopses: <c>keyless …</c> lines of untagged blocks, with their indented continuations.</summary>
    public static IReadOnlyList<string> Synopses(string readme)
    {
        var synopses = new List<string>();
        foreach (Match block in FencedBlock().Matches(readme).Where(b => b.Groups["language"].Value.Length == 0))
        {
            foreach (var line in block.Groups["body"].Value.Split('\n'))
            {
                if (line.StartsWith("keyless ", StringComparison.Ordinal))
                {
                    synopses.Add(line);
                }
                else if (line.StartsWith(' ') && synopses.Count > 0 && line.Trim().Length > 0)
                {
                    synopses[^1] += " " + line.Trim();
                }
            }
        }

        return synopses;
    }

    /// <summary>
    /// Whether the output shows the README's lines in order: each shown line is a whole output line, consecutive
    /// unless a line <c>…</c> stands between them (a gap); blank lines are not compared.
    /// </summary>
    public static string? Mismatch(IReadOnlyList<string> shown, string output)
    {
        var actual = output.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        var at = 0;
        var gap = true;
        foreach (var line in shown.Select(l => l.TrimEnd()))
        {
            if (line.Trim() == "…")
            {
                gap = true;
                continue;
            }

            var found = gap ? actual.FindIndex(at, l => l == line) : (at < actual.Count && actual[at] == line ? at : -1);
            if (found < 0)
            {
                return $"the README shows \"{line}\"{(gap ? "" : " right after the line before it")}, which the output does not have at that place";
            }

            at = found + 1;
            gap = false;
        }

        return null;
    }

    private static List<string> Split(string command)
    {
        Assert.DoesNotContain('"', command);
        Assert.DoesNotContain('\'', command);
        return [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }

    [GeneratedRegex(@"^```(?<language>[a-z]*)\n(?<body>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"\s+#.*$")]
    private static partial Regex TrailingComment();
}

/// <summary>A copy of what the examples read (examples/, site/, keyless.json) and the files they name, in a temporary folder.</summary>
public sealed class ExampleWorkspace : IDisposable
{
    private readonly TempFolder _folder = new();

    public ExampleWorkspace()
    {
        Copy(Repo.TrustExamples, System.IO.Path.Combine(_folder.Path, "examples", "trust"));
        Copy(System.IO.Path.Combine(Repo.Root, "site"), System.IO.Path.Combine(_folder.Path, "site"));
        File.Copy(System.IO.Path.Combine(Repo.Root, "keyless.json"), System.IO.Path.Combine(_folder.Path, "keyless.json"));

        // A job's token as gitlab.com would mint it, valid now, and the keys that verify it.
        Token = new LocalTokenMinter(TokenFixture.Key).Mint(new MintRequest("https://gitlab.com", "keyless-demo/website", "main", RefType.Branch, "sts.amazonaws.com") { RefProtected = true });
        _folder.Write("token.jwt", Token + "\n");
        _folder.Write("gitlab-jwks.json", JsonSerializer.Serialize(new { keys = new[] { TokenFixture.Key.PublicJwk() } }));
    }

    internal string Path => _folder.Path;

    internal string Token { get; }

    /// <summary>Runs the example as the real program in the workspace, the job's token in its environment and on standard input.</summary>
    internal async Task<CliResult> RunAsync(DocumentedExample example) =>
        (await KeylessProcess.RunAsync(Path, example.Arguments, Token + "\n", new Dictionary<string, string> { ["KEYLESS_ID_TOKEN"] = Token })).AsCliResult();

    /// <summary>The assertions every runnable example shares: its exit code, clean stderr, JSON that parses, no token.</summary>
    internal void AssertRan(DocumentedExample example, CliResult result)
    {
        CliAssert.ExitCode(DocumentedExamples.ExitCode(example), result);
        CliAssert.NoStackTrace(result);
        Assert.DoesNotContain("error:", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, result.Output + result.Errors, StringComparison.Ordinal);
        var format = example.Arguments.SkipWhile(a => a != "--format").Skip(1).FirstOrDefault();
        var output = example.Arguments.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault();
        if (format is "json" or "codequality" or "sarif")
        {
            Assert.True(JsonNode.Parse(output is null ? result.Output : File.ReadAllText(System.IO.Path.Combine(Path, output))) is not null, $"{example}: no JSON");
        }
        else if (output is not null)
        {
            Assert.True(File.Exists(System.IO.Path.Combine(Path, output)), $"{example}: wrote no {output}");
        }

        if (DocumentedExamples.Mismatch(example.ShownOutput, result.Output) is { } mismatch)
        {
            Assert.Fail($"{example}: {mismatch}.{Environment.NewLine}{result}");
        }
    }

    public void Dispose() => _folder.Dispose();

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
