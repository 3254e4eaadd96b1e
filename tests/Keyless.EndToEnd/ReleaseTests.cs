using System.IO.Compression;

namespace Keyless.EndToEnd;

/// <summary>
/// keyless as a user installs it, from what the release script (<c>.ci/release</c>) builds once: the tool
/// package installed with <c>dotnet tool install</c> into a fresh tool path from a local folder feed, the
/// self-contained binaries with their checksums, and the CDK constructs' package.
/// </summary>
public sealed class ReleaseTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("keyless-release-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Should_InstallAndRunWhatTheReleaseShips_When_TheReleaseIsBuilt()
    {
        // Given what the release script builds
        var (release, version) = await BuiltRelease.GetAsync();
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$", version);

        // Then the tool package carries its README, licence and tool type
        var package = Path.Combine(release, $"Keyless.{version}.nupkg");
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

        // And the CDK constructs of the same version are beside it, in the checksum list
        using (var zip = ZipFile.OpenRead(Path.Combine(release, $"Keyless.Cdk.{version}.nupkg")))
        {
            using var nuspec = new StreamReader(zip.GetEntry("Keyless.Cdk.nuspec")!.Open());
            var metadata = await nuspec.ReadToEndAsync();
            Assert.Contains($"<version>{version}</version>", metadata, StringComparison.Ordinal);
            Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/Keyless.Stack.dll");
        }

        Assert.Equal(
            ["Keyless." + version + ".nupkg", "Keyless.Cdk." + version + ".nupkg"],
            File.ReadAllLines(Path.Combine(release, "SHA256SUMS")).Select(l => l.Split("  ")[1]).Where(f => f.EndsWith(".nupkg", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        // And, installed into an empty tool path, the command knows its version and checks the bundled example roles
        var tools = Path.Combine(_work, "tools");
        await RunAsync("dotnet", ["tool", "install", "Keyless", "--tool-path", tools, "--add-source", release, "--version", version]);
        var keyless = Path.Combine(tools, "keyless");
        Assert.Equal(version, (await RunAsync(keyless, ["--version"])).Trim().Split('+')[0]);
        var check = await RunAsync(keyless, ["trust", "check", Path.Combine(TheSystem.Repository, "examples", "trust")], expectedExit: 1);
        Assert.Contains("13 role(s) checked", check, StringComparison.Ordinal);

        // And each platform has its binary and a checksum file that sha256sum verifies
        foreach (var rid in new[] { "linux-x64", "linux-arm64", "linux-musl-x64" })
        {
            var binary = $"keyless-{version}-{rid}";
            Assert.True(File.Exists(Path.Combine(release, binary)), binary);
            await RunAsync("sha256sum", ["--check", "--strict", binary + ".sha256"], folder: release);
        }

        await RunAsync("sha256sum", ["--check", "--strict", "SHA256SUMS"], folder: release);

        // And the linux-x64 binary runs here, knowing its version
        Assert.Equal(version, (await RunAsync(Path.Combine(release, $"keyless-{version}-linux-x64"), ["--version"])).Trim().Split('+')[0]);

        // And a tampered binary no longer verifies
        var tampered = Path.Combine(_work, "tampered");
        Directory.CreateDirectory(tampered);
        File.Copy(Path.Combine(release, $"keyless-{version}-linux-arm64.sha256"), Path.Combine(tampered, $"keyless-{version}-linux-arm64.sha256"));
        File.Copy(Path.Combine(release, $"keyless-{version}-linux-arm64"), Path.Combine(tampered, $"keyless-{version}-linux-arm64"));
        await File.AppendAllTextAsync(Path.Combine(tampered, $"keyless-{version}-linux-arm64"), "x");
        await RunAsync("sha256sum", ["--check", "--strict", $"keyless-{version}-linux-arm64.sha256"], expectedExit: 1, folder: tampered);
    }

    private static Task<string> RunAsync(string program, string[] arguments, int expectedExit = 0, string? folder = null) =>
        ReleaseProcess.RunAsync(program, arguments, expectedExit, folder);
}
