using System.Diagnostics;
using System.Runtime.Versioning;

namespace Keyless.Cli.Tests;

/// <summary>
/// The repository's <c>./keyless</c> wrapper builds only when the source changed since the last build: run here
/// in a copy of its layout, with a <c>dotnet</c> on the PATH that records the build and writes the stamp as the
/// real build does, and a stand-in for the built program.
/// </summary>
[UnsupportedOSPlatform("windows")] // a bash script
public sealed class SourceWrapperTests : IDisposable
{
    private static readonly DateTime Built = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly TempFolder _root = new();

    public SourceWrapperTests()
    {
        File.Copy(Repository.Path("keyless"), Path("keyless"));
        Executable("bin/dotnet", """
            #!/usr/bin/env bash
            echo "dotnet $*" >> "$WRAPPER_LOG"
            touch "$STAMP"
            """);
        Executable("src/Keyless.Cli/bin/Release/net10.0/keyless", """
            #!/usr/bin/env bash
            echo "ran $*"
            """);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "src/Keyless.Core/Keyless.Core.csproj", "src/Keyless.Core/Clock.cs", "src/Keyless.Local/Keyless.Local.csproj", "src/Keyless.Local/Moto.cs" })
        {
            Write(file, "");
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories).Append(_root.Path))
        {
            Age(entry, Built.AddMinutes(-10));
        }

        Write(Stamp, "");
        Age(Stamp, Built);
    }

    private string Stamp => Path("src/Keyless.Cli/bin/Release/net10.0/.built-from-source");

    [Fact]
    public async Task Should_RunWithoutBuilding_When_NothingChangedSinceTheBuild()
    {
        var (output, builds) = await RunAsync("--version");

        Assert.Equal("ran --version", output.Trim());
        Assert.Empty(builds);
    }

    [Fact]
    public async Task Should_RunWithoutBuilding_When_OnlyABuildMadeAProjectsBinAndObjAfterTheStamp()
    {
        // A solution build stamps the CLI when the CLI's build starts, then builds other projects: their folders
        // change when their bin/ and obj/ appear.
        BuildOutputAfterTheStamp("src/Keyless.Local");
        Age(Path("src/Keyless.Local"), Built.AddSeconds(20));

        var (_, builds) = await RunAsync("--version");

        Assert.Empty(builds);
    }

    [Fact]
    public async Task Should_Build_When_AFileIsRemovedFromAProjectFolderAfterItsBinAndObj()
    {
        BuildOutputAfterTheStamp("src/Keyless.Local");
        File.Delete(Path("src/Keyless.Local/Moto.cs"));
        Age(Path("src/Keyless.Local"), Built.AddSeconds(60));

        var (output, builds) = await RunAsync("--version");

        Assert.Single(builds, b => b.Contains("build", StringComparison.Ordinal) && b.Contains("src/Keyless.Cli", StringComparison.Ordinal));
        Assert.Equal("ran --version", output.Trim());
    }

    [Fact]
    public async Task Should_Build_When_AFileIsRemovedFromAFolderWithoutBuildOutput()
    {
        File.Delete(Path("src/Keyless.Core/Clock.cs"));
        Age(Path("src/Keyless.Core"), Built.AddSeconds(60));

        var (_, builds) = await RunAsync("--version");

        Assert.Single(builds);
    }

    [Theory]
    [InlineData("src/Keyless.Core/Clock.cs")]
    [InlineData("Directory.Packages.props")]
    public async Task Should_BuildOnce_When_ASourceOrBuildFileChanged(string file)
    {
        Age(Path(file), Built.AddSeconds(30));

        var (first, builds) = await RunAsync("--version");
        var (second, buildsAfter) = await RunAsync("--help");

        Assert.Single(builds);
        Assert.Single(buildsAfter); // the build's stamp holds until the next change
        Assert.Equal("ran --version", first.Trim());
        Assert.Equal("ran --help", second.Trim());
    }

    public void Dispose() => _root.Dispose();

    private async Task<(string Output, string[] Builds)> RunAsync(params string[] arguments)
    {
        var log = Path("builds.log");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path("keyless"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PATH"] = $"{Path("bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["WRAPPER_LOG"] = log;
        start.Environment["STAMP"] = Stamp;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(process.ExitCode == 0, await errors);
        return (await output, File.Exists(log) ? File.ReadAllLines(log) : []);
    }

    /// <summary>A project's obj/ and bin/ made by a build after the stamp's time: obj/ 5 s after it, bin/ 20 s after.</summary>
    private void BuildOutputAfterTheStamp(string project)
    {
        Directory.CreateDirectory(Path($"{project}/obj"));
        Directory.CreateDirectory(Path($"{project}/bin/Release"));
        Age(Path($"{project}/obj"), Built.AddSeconds(5));
        Age(Path($"{project}/bin"), Built.AddSeconds(20));
    }

    private string Path(string relative) => System.IO.Path.Combine(_root.Path, relative);

    private void Write(string relative, string content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path(relative))!);
        File.WriteAllText(Path(relative), content);
    }

    private void Executable(string relative, string content)
    {
        Write(relative, content.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(Path(relative), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void Age(string path, DateTime time)
    {
        if (Directory.Exists(path))
        {
            Directory.SetLastWriteTimeUtc(path, time);
        }
        else
        {
            File.SetLastWriteTimeUtc(path, time);
        }
    }
}
