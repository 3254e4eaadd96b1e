using System.Diagnostics;

namespace Keyless.Bench.Deploy;

/// <summary>Runs a command line to its end with a clean environment of its own, timing it.</summary>
internal static class Tool
{
    /// <summary>Runs and returns the wall time and standard output; throws when it fails.</summary>
    public static (TimeSpan Elapsed, string Output) Run(string file, string? directory, params string[] arguments) =>
        RunAsync(file, directory, new Dictionary<string, string>(), arguments).GetAwaiter().GetResult();

    public static async Task<(TimeSpan Elapsed, string Output)> RunAsync(string file, string? directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Nothing of the bench's own environment that would steer a deploy: no keys, endpoints, CI or profile.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("KEYLESS_", StringComparison.Ordinal) || k.StartsWith("CI", StringComparison.Ordinal) || k.StartsWith("GITLAB", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var elapsed = watch.Elapsed;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await errors}");
        }

        return (elapsed, await output);
    }
}
