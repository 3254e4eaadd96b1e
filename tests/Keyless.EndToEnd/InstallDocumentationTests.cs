using System.Text.RegularExpressions;

namespace Keyless.EndToEnd;

/// <summary>
/// The commands of docs/install.md run as a user would run them, against the release <c>.ci/release</c> built:
/// every <c>bash</c> block, with the version it shows replaced by the built one, in an empty folder with its
/// own home (so <c>--global</c> installs there). Downloads need the package registry: the test puts the files
/// a download would fetch in place; a block that needs a GitLab NuGet registry is the one not run.
/// </summary>
public sealed partial class InstallDocumentationTests : IDisposable
{
    private const string ShownVersion = "1.2.3";
    private readonly string _work = Directory.CreateTempSubdirectory("keyless-install-doc-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Should_InstallAndVerifyAsTheInstallPageShows_When_ItsCommandsRun()
    {
        // Given: the release, as downloaded files and as a folder feed
        var release = await BuiltRelease.GetAsync();
        var packages = Directory.CreateDirectory(Path.Combine(_work, "packages")).FullName;
        File.Copy(Path.Combine(release.Folder, $"Keyless.{release.Version}.nupkg"), Path.Combine(packages, $"Keyless.{release.Version}.nupkg"));
        File.Copy(release.Binary("linux-x64"), Path.Combine(_work, release.FileName("linux-x64")));
        File.Copy(release.Binary("linux-x64") + ".sha256", Path.Combine(_work, release.FileName("linux-x64") + ".sha256"));
        var home = Directory.CreateDirectory(Path.Combine(_work, "home")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            ["PATH"] = $"{Path.Combine(home, ".dotnet", "tools")}:{Environment.GetEnvironmentVariable("PATH")}",
        };
        var blocks = BashBlock().Matches(await File.ReadAllTextAsync(Path.Combine(TheSystem.Repository, "docs", "install.md"))).Select(m => m.Groups["body"].Value).ToList();

        // When: each block that needs no NuGet registry, downloads left out
        var outputs = new List<string>();
        foreach (var block in blocks.Where(b => !b.Contains("packages/nuget/index.json", StringComparison.Ordinal)))
        {
            var commands = block.Split('\n').Where(line => line.Length > 0 && !line.StartsWith("curl ", StringComparison.Ordinal));
            var script = "set -euo pipefail\n" + string.Join('\n', commands).Replace(ShownVersion, release.Version, StringComparison.Ordinal);
            outputs.Add(await ReleaseProcess.RunAsync("bash", ["-c", script], folder: _work, environment: environment));
        }

        // Then: the global tool, the tool-path tool and the verified binary each print the version
        Assert.Equal(4, blocks.Count);
        Assert.Equal(3, outputs.Count);
        Assert.All(outputs, output => Assert.Contains(release.Version, output, StringComparison.Ordinal));
        Assert.Contains($"{release.FileName("linux-x64")}: OK", outputs[2], StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(home, ".dotnet", "tools", "keyless")), "--global installs into the home's .dotnet/tools");
        Assert.True(File.Exists(Path.Combine(_work, "tools", "keyless")), "--tool-path installs into ./tools");
    }

    [GeneratedRegex("```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
