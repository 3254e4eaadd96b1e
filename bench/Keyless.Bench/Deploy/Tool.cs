using System.Diagnostics;
using System.Globalization;

namespace Keyless.Bench.Deploy;

/// <summary>One finished run of a tool: wall time, its standard output, its peak resident memory and CPU time (0 where not measured).</summary>
internal sealed record ToolRun(TimeSpan Elapsed, string Output, long PeakKilobytes, double CpuSeconds);

/// <summary>Runs a command line to its end with a clean environment of its own, timing it.</summary>
internal static class Tool
{
    /// <summary>GNU time reports the process's peak resident set (getrusage's ru_maxrss, children included) and CPU time.</summary>
    private const string GnuTime = "/usr/bin/time";

    /// <summary>Runs and returns the wall time and standard output; throws when it fails.</summary>
    public static (TimeSpan Elapsed, string Output) Run(string file, string? directory, params string[] arguments)
    {
        var run = RunAsync(file, directory, new Dictionary<string, string>(), arguments).GetAwaiter().GetResult();
        return (run.Elapsed, run.Output);
    }

    /// <summary>Runs under GNU time when the machine has it, so the run's peak memory and CPU time are known too.</summary>
    public static async Task<ToolRun> MeasureAsync(string file, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        if (!File.Exists(GnuTime))
        {
            return await RunAsync(file, null, environment, arguments);
        }

        var report = Path.Combine(Path.GetTempPath(), $"keyless-bench-time-{Guid.NewGuid():N}");
        try
        {
            var run = await RunAsync(GnuTime, null, environment, ["-f", "%M %U %S", "-o", report, file, .. arguments]);
            var fields = File.ReadAllLines(report).Last().Split(' ');
            return run with
            {
                PeakKilobytes = long.Parse(fields[0], CultureInfo.InvariantCulture),
                CpuSeconds = double.Parse(fields[1], CultureInfo.InvariantCulture) + double.Parse(fields[2], CultureInfo.InvariantCulture),
            };
        }
        finally
        {
            File.Delete(report);
        }
    }

    public static async Task<ToolRun> RunAsync(string file, string? directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
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

        // Nothing of the bench's own environment that would steer a deploy: no keys, endpoints, CI, profile or rclone remote.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("KEYLESS_", StringComparison.Ordinal) || k.StartsWith("CI", StringComparison.Ordinal) || k.StartsWith("GITLAB", StringComparison.Ordinal) || k.StartsWith("RCLONE_", StringComparison.Ordinal)).ToList())
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

        return new ToolRun(elapsed, await output, 0, 0);
    }
}
