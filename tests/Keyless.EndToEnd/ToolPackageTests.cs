using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Keyless.EndToEnd;

/// <summary>
/// keyless as a user installs it: <c>dotnet pack</c> makes the tool package, <c>dotnet tool install</c> puts it
/// in a fresh tool path from a local folder feed, and the installed command runs.
/// </summary>
public sealed partial class ToolPackageTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("keyless-tool-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Should_RunTheInstalledTool_When_ThePackageIsInstalledFromAFolderFeed()
    {
        // Given the package, built apart from the repository's own bin/ and obj/
        var feed = Path.Combine(_work, "feed");
        await RunAsync("dotnet", "pack", Path.Combine(TheSystem.Repository, "src", "Keyless.Cli"), "--configuration", "Release",
            "--artifacts-path", Path.Combine(_work, "artifacts"), "--output", feed, "--nologo", "--verbosity", "quiet");
        var package = Assert.Single(Directory.GetFiles(feed, "Keyless.*.nupkg"));
        var version = PackageVersion().Match(Path.GetFileName(package)).Groups[1].Value;
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$", version);
        using (var zip = ZipFile.OpenRead(package))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            Assert.Contains(zip.Entries, e => e.FullName == "LICENSE");
            using var nuspec = new StreamReader(zip.GetEntry("Keyless.nuspec")!.Open());
            var metadata = await nuspec.ReadToEndAsync();
            Assert.Contains("<packageType name=\"DotnetTool\" />", metadata, StringComparison.Ordinal);
            Assert.Contains("<license type=\"expression\">Apache-2.0</license>", metadata, StringComparison.Ordinal);
            Assert.Contains("<tags>gitlab aws oidc", metadata, StringComparison.Ordinal);
        }

        // When it is installed into an empty tool path
        var tools = Path.Combine(_work, "tools");
        await RunAsync("dotnet", "tool", "install", "Keyless", "--tool-path", tools, "--add-source", feed, "--version", version);
        var keyless = Path.Combine(tools, "keyless");

        // Then the installed command knows its version and checks the bundled example roles
        var shown = await RunAsync(keyless, "--version");
        Assert.Equal(version, shown.Output.Trim().Split('+')[0]);
        var check = await RunAsync(keyless, ["trust", "check", Path.Combine(TheSystem.Repository, "examples", "trust")], expectedExit: 1);
        Assert.Contains("13 role(s) checked", check.Output, StringComparison.Ordinal);
        Assert.Contains("good-main-branch", check.Output, StringComparison.Ordinal);
    }

    private static Task<(int Exit, string Output)> RunAsync(string program, params string[] arguments) => RunAsync(program, arguments, 0);

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] arguments, int expectedExit)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TheSystem.Repository };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == expectedExit, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{await output}\n{await errors}");
        return (process.ExitCode, await output);
    }

    [GeneratedRegex(@"^Keyless\.(.+)\.nupkg$")]
    private static partial Regex PackageVersion();
}
