using System.Runtime.InteropServices;

namespace Keyless.Cli.Infrastructure;

/// <summary>Sends POSIX signals to other processes with kill(2), without starting a `kill` process.</summary>
internal static class Signals
{
    public const int Interrupt = 2;
    public const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/> to the process; false when there is no such process.</summary>
    public static bool Send(int processId, int signal) => Kill(processId, signal) == 0;

    // DllImport because LibraryImport would need unsafe code for this one int-only call.
    [DllImport("libc", EntryPoint = "kill")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
