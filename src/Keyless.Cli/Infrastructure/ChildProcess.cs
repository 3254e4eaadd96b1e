using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Keyless.Trust;

namespace Keyless.Cli.Infrastructure;

/// <summary>Runs a command with keyless's standard input, output and error, and returns its exit code.</summary>
internal static class ChildProcess
{
    /// <summary>Starts <paramref name="command"/> with the environment changed (null removes a variable) and waits for it.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string?> environmentChanges)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environmentChanges)
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
            process = Process.Start(start) ?? throw KeylessException.Input($"{command[0]}: the command could not be started.");
        }
        catch (Win32Exception e)
        {
            throw KeylessException.Input($"{command[0]}: cannot run it ({e.Message}). Check the command's name and $PATH.");
        }

        using (process)
        {
            // Ctrl-C reaches the child from the terminal itself, and Program keeps keyless alive meanwhile;
            // a SIGTERM sent to keyless alone (timeout, docker stop) is passed on so the child can clean up.
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                Forward(process, Signals.Terminate);
            });

            // Wait whatever happens: keyless exits when the child does, with its code.
            await process.WaitForExitAsync(CancellationToken.None);
            return process.ExitCode;
        }
    }

    private static void Forward(Process process, int signal)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                process.Kill();
            }
            else
            {
                Signals.Send(process.Id, signal);
            }
        }
        catch (InvalidOperationException)
        {
            // The child has already exited.
        }
    }
}
