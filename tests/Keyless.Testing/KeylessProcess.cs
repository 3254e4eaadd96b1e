using System.Diagnostics;

namespace Keyless.Testing;

/// <summary>What a keyless process did: its exit code and everything it (and its child) wrote.</summary>
public sealed record KeylessRun(int ExitCode, string Output, string Errors);

/// <summary>
/// Runs the real keyless program (the keyless.dll copied next to the tests) as a separate process, its standard
/// streams piped, in a folder of the test's choosing: how a user's shell, a script or a CI job runs it. The
/// environment is the test's choice: variables that could steer keyless (GITLAB_CI, AWS_*, KEYLESS_*, CI_*) are
/// removed from the inherited one first.
/// </summary>
public static class KeylessProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly string[] WithheldPrefixes = ["AWS_", "KEYLESS_", "CI_"];

    /// <summary>How to start the program with these arguments, its standard output and error piped.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        // dotnet test sets DOTNET_HOST_PATH to the host that runs it.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "keyless.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public static async Task<KeylessRun> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, string? standardInput = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(arguments);
        start.RedirectStandardInput = true;
        start.WorkingDirectory = workingDirectory;
        foreach (var name in start.Environment.Keys.Where(Withheld).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"keyless {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds} s.");
        }

        return new KeylessRun(process.ExitCode, await output, await errors);
    }

    private static bool Withheld(string name) =>
        name == "GITLAB_CI" || WithheldPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
}
