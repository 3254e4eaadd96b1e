using System.Diagnostics;
using Keyless.Core.Processes;

namespace Keyless.Cli.Infrastructure;

/// <summary>
/// Starts a command that outlives keyless: its output goes straight to a log file (appended), so the log keeps
/// what it writes after keyless has exited, and it runs in a session of its own (<c>setsid</c>, where there is
/// one), so closing the terminal keyless ran in does not hang it up.
/// </summary>
internal static class BackgroundProcess
{
    // sh sets up the redirections and then becomes the command (exec), through setsid when there is one: the
    // process keeps the ID it started with (setsid forks only for a process group leader, which sh is not).
    private const string Script =
        "if command -v setsid >/dev/null 2>&1; then exec setsid \"$@\" >>\"$0\" 2>&1 </dev/null; fi; exec \"$@\" >>\"$0\" 2>&1 </dev/null";

    public static Process Start(IReadOnlyList<string> command, string log, string workingFolder)
    {
        ArgumentNullException.ThrowIfNull(command);
        return ProcessLauncher.Start(ProcessLauncher.StartInfo("sh", new[] { "-c", Script, log }.Concat(command), ChildStreams.Inherit, workingDirectory: workingFolder));
    }
}
