using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Keyless.Trust;

namespace Keyless.Deploy.Pipeline;

/// <summary>What a finished tool printed and returned; <see cref="Output"/> is stdout and stderr interleaved in arrival order.</summary>
internal sealed record ToolResult(int ExitCode, string StandardOutput, string Output);

/// <summary>
/// Runs the external tools of the local pipeline (git, npm, apt-get, gitlab-ci-local): arguments as a
/// list (no shell), an environment given in full or as changes, every line handed to a callback as it
/// arrives, the whole process tree killed when the run is cancelled.
/// </summary>
internal static class ToolProcess
{
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        bool replaceEnvironment = false,
        Action<string>? onLine = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (replaceEnvironment)
        {
            start.Environment.Clear();
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new KeylessException(FailureKind.Failed, $"{fileName} could not be started.");
        }
        catch (Win32Exception e)
        {
            throw new KeylessException(FailureKind.Failed, $"{fileName}: cannot run it ({e.Message}). Check that it is installed and on $PATH.", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var gate = new object();
            var all = new StringBuilder();
            var stdout = new StringBuilder();
            void Take(string? line, bool isStdout)
            {
                if (line is null)
                {
                    return;
                }

                lock (gate)
                {
                    all.Append(line).Append('\n');
                    if (isStdout)
                    {
                        stdout.Append(line).Append('\n');
                    }

                    onLine?.Invoke(line);
                }
            }

            process.OutputDataReceived += (_, e) => Take(e.Data, isStdout: true);
            process.ErrorDataReceived += (_, e) => Take(e.Data, isStdout: false);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                throw;
            }

            // The asynchronous readers may still hold the last lines; the parameterless wait drains them.
            process.WaitForExit();
            lock (gate)
            {
                return new ToolResult(process.ExitCode, stdout.ToString(), all.ToString());
            }
        }
    }

    /// <summary>The full path of <paramref name="name"/> on $PATH, or null: what <c>which</c> answers, without a process.</summary>
    public static string? Which(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
