using System.Text;
using Keyless.Core.Processes;

namespace Keyless.Local.Pipeline;

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
        var start = ProcessLauncher.StartInfo(fileName, arguments, ChildStreams.Redirect, environment, workingDirectory, replaceEnvironment);
        using var process = ProcessLauncher.Start(start);
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
            ProcessLauncher.KillTree(process, TimeSpan.FromSeconds(5));
            throw;
        }

        // The asynchronous readers may still hold the last lines; the parameterless wait drains them.
        process.WaitForExit();
        lock (gate)
        {
            return new ToolResult(process.ExitCode, stdout.ToString(), all.ToString());
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
}
