using System.Runtime.InteropServices;
using Keyless.Core.Processes;

namespace Keyless.Cli.Infrastructure;

/// <summary>Runs a command with keyless's standard input, output and error, and returns its exit code.</summary>
internal static class ChildProcess
{
    /// <summary>Starts <paramref name="command"/> in <paramref name="workingFolder"/> with the environment changed (null removes a variable) and waits for it.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string?> environmentChanges, string workingFolder)
    {
        using var process = ProcessLauncher.Start(ProcessLauncher.StartInfo(command[0], command.Skip(1), ChildStreams.Inherit, environmentChanges, workingFolder));

        // Ctrl-C reaches the child from the terminal itself, and Program keeps keyless alive meanwhile;
        // a SIGTERM sent to keyless alone (timeout, docker stop) is passed on so the child can clean up.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            Signals.Forward(process, Signals.Terminate);
        });

        // Wait whatever happens: keyless exits when the child does, with its code.
        await process.WaitForExitAsync(CancellationToken.None);
        return process.ExitCode;
    }
}
