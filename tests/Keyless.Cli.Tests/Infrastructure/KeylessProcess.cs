using System.Diagnostics;

namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>
/// Runs the real keyless program (the built keyless.dll) as a process, its output piped, in a folder of the test's
/// choosing: how a user's shell, a script or a CI job runs it.
/// </summary>
internal static class KeylessProcess
{
    /// <summary>Variables of the test's own environment that would change what keyless does.</summary>
    private static readonly string[] Withheld = ["GITLAB_CI", "KEYLESS_STATE_DIR", "KEYLESS_CONFIG", "KEYLESS_ID_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ENDPOINT_URL"];

    /// <summary>How to start the program with these arguments, its standard output and error piped.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "keyless.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, string? standardInput = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(arguments);
        start.RedirectStandardInput = true;
        start.WorkingDirectory = workingDirectory;
        foreach (var name in Withheld)
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
        await process.StandardInput.WriteAsync(standardInput ?? "");
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await errors);
    }
}
