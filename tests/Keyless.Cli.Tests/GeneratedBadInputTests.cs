using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Cli.Tests.Support;
using Keyless.Core;
using Spectre.Console.Cli;
using Spectre.Console.Testing;

namespace Keyless.Cli.Tests;

/// <summary>
/// Every option of every command, as the command line itself registers them (its `cli xmldoc` model, checked
/// against the settings types by reflection), driven with bad values generated from the option's type: missing,
/// empty, a folder for a file, a file for a folder, malformed, binary, not UTF-8, huge, out of range, a wrong
/// choice. Each run must exit 2 with one message naming the option or the file, no stack trace, and leave its
/// folder as it was. Services are unreachable loopback ports: a command that got past its checks fails here.
/// </summary>
public sealed class GeneratedBadInputTests
{
    /// <summary>Options that name a file keyless writes; every other FILE option is read.</summary>
    private static readonly HashSet<string> OutputFileOptions = new(StringComparer.Ordinal) { "--output", "--dotenv", "--outputs", "--out" };

    /// <summary>
    /// Values that are what the command judges, not input to refuse, answered as AWS answers them (exit 1):
    /// simulate gives a RoleSessionName STS would refuse STS's own ValidationError; verify calls a file that
    /// holds text but no JWT an InvalidIdentityToken.
    /// </summary>
    private static readonly HashSet<(string Command, string Option, string Kind)> Judged =
    [
        ("trust simulate", "--role-session-name", "huge"), ("trust simulate", "--role-session-name", "control characters"),
        ("token verify", "--token", "malformed"),
    ];

    private static readonly Lazy<IReadOnlyList<CommandModel>> Model = new(ReadModel);

    public static TheoryData<string> Commands => [.. Model.Value.Select(c => c.Path)];

    public static TheoryData<string> CommandsThatCanRunHere => [.. Model.Value.Select(c => c.Path).Where(p => p != "local up")];

    [Fact]
    public void Should_ListEveryOptionOfEverySettingsType_When_TheModelIsRead()
    {
        // The model the test drives is the registration's, and nothing a settings type declares is missing from it.
        var declared = typeof(KeylessApp).Assembly.GetTypes()
            .Where(t => typeof(CommandSettings).IsAssignableFrom(t) && !t.IsAbstract)
            .SelectMany(t => t.GetProperties().SelectMany(p => p.GetCustomAttributes<CommandOptionAttribute>().SelectMany(a => a.LongNames.Select(n => (Settings: t.FullName!, Name: "--" + n)))))
            .ToHashSet();
        var modelled = Model.Value.SelectMany(c => c.Options.Select(o => (c.Settings, o.Name))).ToHashSet();

        Assert.Empty(declared.Where(d => Model.Value.Any(c => c.Settings == d.Settings)).Except(modelled));
        Assert.True(Model.Value.Count >= 15, $"Expected every command in the model, got {string.Join(", ", Model.Value.Select(c => c.Path))}");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Should_ExitTwoNamingTheOptionAndWriteNothing_When_AnOptionGetsABadValue(string path)
    {
        var command = Model.Value.Single(c => c.Path == path);
        var failures = new List<string>();
        foreach (var option in command.Options.Where(o => !o.IsFlag))
        {
            foreach (var bad in BadValues(option).Where(b => !Judged.Contains((path, option.Name, b.Kind))))
            {
                using var work = new Workspace();
                var args = Baseline(command.Path, work).Without(option.Name).ToList();
                var badArgs = bad.Build(work);
                List<string> full = bad.Last
                    ? [.. command.Path.Split(' '), .. args, option.Name]
                    : [.. command.Path.Split(' '), .. args, option.Name, .. badArgs, .. Separator(command.Path)];

                var before = work.Snapshot();
                var result = await RunAsync(full);
                var problem = Problem(result, option.Name, badArgs, work.Snapshot(), before);
                if (problem is not null)
                {
                    failures.Add($"keyless {string.Join(' ', full.Select(a => a.Length > 60 ? a[..60] + "…" : a))} [{bad.Kind}]: {problem}\n{result}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} bad value(s) not refused as they should be:\n\n" + string.Join("\n\n", failures));
    }

    [Theory]
    [MemberData(nameof(CommandsThatCanRunHere))]
    public async Task Should_RunPastItsChecks_When_TheBaselineIsUsed(string path)
    {
        // The baseline must be good input, or every bad value would be refused for the baseline's sake. (local up
        // would start the whole local cloud; its one option is a folder, checked before anything starts.)
        using var work = new Workspace();
        var result = await RunAsync([.. path.Split(' '), .. Baseline(path, work), .. Separator(path)], TimeSpan.FromSeconds(3));

        Assert.False(
            result.ExitCode == ExitCodes.UnusableInput && !ReachedAService(result.Errors),
            $"The baseline of {path} is refused as unusable input: {result}");
        CliAssert.NoStackTrace(result);
    }

    // exec runs the command after --; a harmless one, never reached when the options are refused.
    private static string[] Separator(string path) => path == "exec" ? ["--", "true"] : [];

    private static string? Problem(CliResult result, string option, IReadOnlyList<string> values, IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before)
    {
        if (result.ExitCode != ExitCodes.UnusableInput)
        {
            return $"exit code {result.ExitCode}, expected {ExitCodes.UnusableInput}";
        }

        if (!result.Errors.StartsWith("error:", StringComparison.Ordinal) || result.Output.Length > 0)
        {
            return "expected one error on stderr and nothing on stdout";
        }

        if (result.Errors.Contains("   at ", StringComparison.Ordinal) || result.Errors.Contains("Exception", StringComparison.Ordinal))
        {
            return "a stack trace or an exception type reached the user";
        }

        if (ReachedAService(result.Errors))
        {
            return "the command got past its checks and tried to reach a service";
        }

        var named = result.Errors.Contains(option, StringComparison.Ordinal)
            || values.Any(v => v.Length > 0 && result.Errors.Replace("\n", "", StringComparison.Ordinal).Contains(v.Length > 80 ? v[..80] : v, StringComparison.Ordinal));
        if (!named)
        {
            return $"the message names neither {option} nor its value";
        }

        var changed = after.Keys.Union(before.Keys).Where(k => !before.TryGetValue(k, out var b) || !after.TryGetValue(k, out var a) || a != b).ToList();
        return changed.Count == 0 ? null : "files changed: " + string.Join(", ", changed);
    }

    private static bool ReachedAService(string errors) =>
        errors.Contains("Connection refused", StringComparison.Ordinal)
        || errors.Contains("No moto_server answers", StringComparison.Ordinal)
        || errors.Contains("No AWS credentials", StringComparison.Ordinal)
        || errors.Contains("No ID token", StringComparison.Ordinal);

    private static async Task<CliResult> RunAsync(IReadOnlyList<string> args, TimeSpan? limit = null)
    {
        using var output = new TestConsole().Width(KeylessCli.ConsoleWidth);
        using var errors = new TestConsole().Width(KeylessCli.ConsoleWidth);

        // A command that accepted a bad value and started serving is stopped, and then fails the test (exit 130).
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(15));
        var services = new KeylessServices { Environment = new Unreachable() };
        var exitCode = await KeylessApp.RunAsync(args, output, errors, services, timeout.Token);
        return new CliResult(exitCode, output.Output, errors.Output);
    }

    /// <summary>Good values for every option a command needs, services on ports where nothing listens.</summary>
    private static List<string> Baseline(string path, Workspace work) => path switch
    {
        "trust simulate" => ["--policy", Repo.Example("good-main-branch.json"), "--claims", Repo.Claims("main.json"), "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab, "--now", Repo.Now, "--account", "111122223333", "--role-session-name", "s", "--role", "good-main-branch"],
        "trust check" => [Repo.Example("good-main-branch.json"), "--now", Repo.Now, "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab],
        "token inspect" => ["--token", work.Token, "--now", Repo.Now, "--policy", Repo.Example("good-main-branch.json")],
        "token verify" => ["--token", work.Token, "--issuer", TokenFixture.Issuer, "--client-id", TokenFixture.Audience, "--jwks", work.Jwks, "--now", TokenFixture.Now.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        "local issuer" => ["--state", work.State, "--port", "0"],
        "local token" => ["--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--aud", "sts.amazonaws.com", "--issuer", Unreachable.Url, "--state", work.State, "--environment", "production", "--pipeline-source", "push"],
        "local up" or "local down" => ["--state", work.State],
        "local apply" => ["--template", work.Template, "--endpoint", Unreachable.Url, "--issuer", Unreachable.Url, "--state", work.State, "--outputs", Path.Combine(work.Root, "outputs.json")],
        "local sts" => ["--upstream", Unreachable.Url, "--port", "0"],
        "site check" => ["--site", work.Site, "--output", Path.Combine(work.Root, "report.xml")],
        "site build" => ["--site", work.Site, "--out", Path.Combine(work.Root, "dist")],
        "deploy" => ["--site", work.Dist, "--bucket", "kl-bad-input", "--region", "eu-central-1", "--dotenv", Path.Combine(work.Root, "deploy.env")],
        "rollback" or "releases" or "prune" => ["--bucket", "kl-bad-input", "--region", "eu-central-1"],
        "aws template" => ["--config", Path.Combine(Repo.Root, "keyless.json"), "--out", Path.Combine(work.Root, "template.json")],
        "exec" => ["--role", "arn:aws:iam::111122223333:role/deploy", "--token-variable", "KEYLESS_BAD_INPUT_NO_TOKEN"],
        "init" => ["--repository", work.Root, "--gitlab-url", "https://gitlab.com", "--project", "acme/website", "--project-id", "61425730", "--aws-account", "111122223333", "--region", "eu-central-1", "--site", "site", "--yes"],
        _ => throw new InvalidOperationException($"Add a baseline for the new command `{path}` to {nameof(GeneratedBadInputTests)}: good values for the options it needs."),
    };

    /// <summary>Bad values for an option, from its type and what its value names.</summary>
    private static IEnumerable<BadValue> BadValues(OptionModel option)
    {
        yield return BadValue.MissingAtEnd;
        yield return new("empty", _ => [""]);
        yield return new("blank", _ => [" "]);
        var type = Nullable.GetUnderlyingType(option.ClrType) ?? option.ClrType;
        if (type == typeof(int) || type == typeof(long))
        {
            yield return new("not a number", _ => ["abc"]);
            yield return new("decimal", _ => ["1.5"]);
            yield return new("out of range", _ => ["99999999999999999999"]);
            yield return new("negative", _ => ["-5"]);
            yield break;
        }

        if (type.IsEnum)
        {
            yield return new("wrong choice", _ => ["xml"]);
            yield break;
        }

        switch (option.ValueName)
        {
            case "FILE" when OutputFileOptions.Contains(option.Name):
                yield return new("folder for a file", w => [w.Folder]);
                yield return new("file for a folder", w => [Path.Combine(w.TextFile, "out.txt")]);
                break;
            case "FILE" or "FILE_OR_URL":
                yield return new("missing file", w => [Path.Combine(w.Root, "missing.json")]);
                yield return new("folder for a file", w => [w.Folder]);
                yield return new("empty file", w => [w.File("empty.json", [])]);
                yield return new("malformed", w => [w.File("truncated.json", Encoding.UTF8.GetBytes("{\"Resources\": {\"A\": "))]);
                yield return new("binary", w => [w.File("binary.bin", [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 7 % 256))])]);
                yield return new("not UTF-8", w => [w.File("latin1.json", [(byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)':', (byte)'1', (byte)'}'])]);
                yield return new("huge", w => [w.File("huge.json", new byte[(int)Keyless.Core.InputFiles.MaxBytes + 1])]);
                break;
            case "DIR":
                yield return new("file for a folder", w => [w.TextFile]);
                break;
            case "URL":
                yield return new("not a URL", _ => ["not a url"]);
                yield return new("not http", _ => ["ftp://127.0.0.1/"]);
                break;
            default:
                yield return new("huge", _ => [new string('x', 100_000)]);
                yield return new("control characters", _ => ["a\u0001b"]);
                break;
        }
    }

    private static IReadOnlyList<CommandModel> ReadModel()
    {
        using var output = new TestConsole().Width(100_000);
        using var errors = new TestConsole();
        var exitCode = KeylessApp.RunAsync(["cli", "xmldoc"], output, errors).GetAwaiter().GetResult();
        Assert.Equal(0, exitCode);
        var xml = XDocument.Parse(output.Output.Trim());
        return [.. xml.Root!.Descendants("Command")
            .Where(c => c.Attribute("IsBranch")?.Value == "false")
            .Select(c => new CommandModel(
                string.Join(' ', c.AncestorsAndSelf("Command").Reverse().Select(a => a.Attribute("Name")!.Value)),
                c.Attribute("Settings")!.Value,
                [.. c.Element("Parameters")?.Elements("Option").Select(o => new OptionModel(
                    "--" + o.Attribute("Long")!.Value.Split(',')[0],
                    o.Attribute("Value")?.Value,
                    o.Attribute("Kind")?.Value == "flag",
                    TypeOf(o.Attribute("ClrType")!.Value))) ?? []]))];
    }

    private static Type TypeOf(string name) =>
        Type.GetType(name) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(name)).FirstOrDefault(t => t is not null)
        ?? throw new InvalidOperationException($"Unknown option type {name}");

    private sealed record CommandModel(string Path, string Settings, IReadOnlyList<OptionModel> Options);

    private sealed record OptionModel(string Name, string? ValueName, bool IsFlag, Type ClrType);

    /// <summary>One generated bad value: what it is, and the argument(s) it makes in a test's folder.</summary>
    private sealed record BadValue(string Kind, Func<Workspace, IReadOnlyList<string>> Build, bool Last = false)
    {
        /// <summary>The option written last, without its value.</summary>
        public static readonly BadValue MissingAtEnd = new("missing value", _ => [], Last: true);
    }

    /// <summary>Environment variables of a machine with fake credentials and every AWS endpoint unreachable.</summary>
    private sealed class Unreachable : IEnvironment
    {
        public const string Url = "http://127.0.0.1:1";

        public string? Variable(string name) => name switch
        {
            "AWS_ENDPOINT_URL" => Url,
            "AWS_ACCESS_KEY_ID" => "AKIAKEYLESSBADINPUT",
            "AWS_SECRET_ACCESS_KEY" => "keyless-bad-input-secret",
            "AWS_REGION" => "eu-central-1",
            _ => null,
        };
    }

    /// <summary>A test's own folder with the inputs the baselines name; its files are compared before and after.</summary>
    private sealed class Workspace : IDisposable
    {
        public Workspace()
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(Folder);
            Directory.CreateDirectory(State);
            Directory.CreateDirectory(Site);
            Directory.CreateDirectory(Dist);
            System.IO.File.WriteAllText(TextFile, "text\n");
            System.IO.File.WriteAllText(Path.Combine(Site, "index.html"), "<!doctype html><html lang=\"en\"><head><title>Home</title></head><body>Home</body></html>\n");
            System.IO.File.WriteAllText(Path.Combine(Site, "404.html"), "<!doctype html><html lang=\"en\"><head><title>Not found</title></head><body>Not found</body></html>\n");
            System.IO.File.WriteAllText(Path.Combine(Dist, "index.html"), "<html>Home</html>\n");
            System.IO.File.WriteAllText(Path.Combine(Dist, ".keyless-build.json"), """{"version":1,"files":{"index.html":"page"}}""");
            System.IO.File.WriteAllText(Token, TokenFixture.Mint() + "\n");
            System.IO.File.WriteAllText(Jwks, System.Text.Json.JsonSerializer.Serialize(new { keys = new[] { TokenFixture.Key.PublicJwk() } }));
            System.IO.File.WriteAllText(Template, """{"Resources": {"Provider": {"Type": "AWS::IAM::OIDCProvider", "Properties": {"Url": "https://gitlab.com", "ClientIdList": ["sts.amazonaws.com"]}}}}""");
        }

        public string Root { get; } = Path.Combine(Path.GetTempPath(), "keyless-bad-input-" + Guid.NewGuid().ToString("N"));

        public string Folder => Path.Combine(Root, "a-folder");

        public string TextFile => Path.Combine(Root, "a-file.txt");

        public string State => Path.Combine(Root, "state");

        public string Site => Path.Combine(Root, "site");

        public string Dist => Path.Combine(Root, "built");

        public string Token => Path.Combine(Root, "token.jwt");

        public string Jwks => Path.Combine(Root, "jwks.json");

        public string Template => Path.Combine(Root, "Stack.template.json");

        public string File(string name, byte[] bytes)
        {
            var path = Path.Combine(Root, name);
            System.IO.File.WriteAllBytes(path, bytes);
            return path;
        }

        /// <summary>Every file and folder under the root with its size (-1 for a folder) and last write.</summary>
        public Dictionary<string, long> Snapshot() =>
            Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
                .ToDictionary(p => p, p => Directory.Exists(p) ? -1 : new FileInfo(p).Length ^ System.IO.File.GetLastWriteTimeUtc(p).Ticks, StringComparer.Ordinal);

        public void Dispose()
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
    }
}

internal static class ArgumentLists
{
    /// <summary>The arguments without an option and its value(s).</summary>
    public static IEnumerable<string> Without(this IReadOnlyList<string> args, string option)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == option)
            {
                i++;
                continue;
            }

            yield return args[i];
        }
    }
}
