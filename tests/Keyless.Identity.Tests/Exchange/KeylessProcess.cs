using System.Diagnostics;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>What a keyless process did: its exit code and everything it (and its child) wrote.</summary>
internal sealed record KeylessRun(int ExitCode, string Output, string Errors);

/// <summary>
/// Runs the real keyless (the keyless.dll copied next to the tests) as a separate process, so its standard
/// streams are the ones a CI job sees. The environment is the test's choice: variables that could steer the
/// exchange (AWS_*, KEYLESS_*, CI_*) are removed from the inherited one first.
/// </summary>
internal static class KeylessProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<KeylessRun> RunAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "keyless.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("KEYLESS_", StringComparison.Ordinal) || k.StartsWith("CI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
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

    // dotnet test sets DOTNET_HOST_PATH to the host that runs it.
    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
