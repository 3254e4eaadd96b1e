using System.Diagnostics;

namespace Keyless.EndToEnd;

/// <summary>What <c>.ci/release</c> built: the folder and the version it printed.</summary>
public sealed record BuiltRelease(string Folder, string Version)
{
    private static readonly Lazy<Task<BuiltRelease>> Shared = new(BuildAsync);

    /// <summary>The release, built once per test run for every test that installs or serves it. Tests must
    /// not change its files: copy what they tamper with.</summary>
    public static Task<BuiltRelease> GetAsync() => Shared.Value;

    public string FileName(string rid) => $"keyless-{Version}-{rid}";

    public string Binary(string rid) => Path.Combine(Folder, FileName(rid));

    private static async Task<BuiltRelease> BuildAsync()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("keyless-release-").FullName, "release");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        var output = await ReleaseProcess.RunAsync(Path.Combine(TheSystem.Repository, ".ci", "release"), [folder]);
        return new BuiltRelease(folder, output.Trim().Split('\n')[^1]);
    }
}

/// <summary>Runs a program of the release (a script, the installed tool, sha256sum) and checks its exit code.</summary>
public static class ReleaseProcess
{
    /// <summary>Its standard output; <see cref="RunWithErrorsAsync"/> also gives its standard error.</summary>
    public static async Task<string> RunAsync(string program, string[] arguments, int expectedExit = 0, string? folder = null, IReadOnlyDictionary<string, string>? environment = null) =>
        (await RunWithErrorsAsync(program, arguments, expectedExit, folder, environment)).Output;

    public static async Task<(string Output, string Errors)> RunWithErrorsAsync(string program, string[] arguments, int expectedExit = 0, string? folder = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder ?? TheSystem.Repository };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == expectedExit, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}, expected {expectedExit}:\n{await output}\n{await errors}");
        return (await output, await errors);
    }
}
