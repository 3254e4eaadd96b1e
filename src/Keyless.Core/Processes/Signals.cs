using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Keyless.Core.Processes;

/// <summary>Sends POSIX signals to other processes with kill(2), without starting a `kill` process.</summary>
public static class Signals
{
    public const int Interrupt = 2;
    public const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/> to the process; false when there is no such process.</summary>
    public static bool Send(int processId, int signal) => Kill(processId, signal) == 0;

    /// <summary>Passes <paramref name="signal"/> on to a child so it can clean up; on Windows, which has no signals, kills it.</summary>
    public static void Forward(Process process, int signal)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            if (OperatingSystem.IsWindows())
            {
                process.Kill();
            }
            else
            {
                Send(process.Id, signal);
            }
        }
        catch (InvalidOperationException)
        {
            // The child has already exited.
        }
    }

    // DllImport because LibraryImport would need unsafe code for this one int-only call.
    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
