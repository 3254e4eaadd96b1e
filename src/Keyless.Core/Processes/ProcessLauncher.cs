using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Keyless.Core.Processes;

/// <summary>Whether a child process shares keyless's standard streams or hands them to keyless to read.</summary>
public enum ChildStreams
{
    /// <summary>The child reads and writes keyless's own terminal or pipes.</summary>
    Inherit,

    /// <summary>Standard output and error (UTF-8) are read by keyless; standard input is a pipe keyless may close.</summary>
    Redirect,
}

/// <summary>
/// The one way keyless starts another program: no shell, arguments as a list, the environment changed
/// variable by variable, and one message when the program cannot be run.
/// </summary>
public static class ProcessLauncher
{
    /// <summary>
    /// What to start: <paramref name="environmentChanges"/> sets variables, a null value removes one;
    /// with <paramref name="replaceEnvironment"/> the child gets only those variables.
    /// </summary>
    public static ProcessStartInfo StartInfo(
        string command,
        IEnumerable<string> arguments,
        ChildStreams streams,
        IReadOnlyDictionary<string, string?>? environmentChanges = null,
        string? workingDirectory = null,
        bool replaceEnvironment = false)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false };
        if (streams == ChildStreams.Redirect)
        {
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.RedirectStandardInput = true;
            start.StandardOutputEncoding = Encoding.UTF8;
            start.StandardErrorEncoding = Encoding.UTF8;
        }

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

        foreach (var (name, value) in environmentChanges ?? new Dictionary<string, string?>())
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

        return start;
    }

    /// <summary>
    /// Starts the program; a program that cannot be run (not found, not executable) is a user mistake (exit 2)
    /// whose message names it, says why, and adds <paramref name="hint"/> where there is more to say.
    /// </summary>
    public static Process Start(ProcessStartInfo start, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            return Process.Start(start) ?? throw CannotRun(start.FileName, "nothing was started", hint);
        }
        catch (Win32Exception e)
        {
            throw CannotRun(start.FileName, e.Message, hint, e);
        }
    }

    /// <summary>Kills the process and everything it started, and waits up to <paramref name="wait"/> for it to go.</summary>
    public static void KillTree(Process process, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(wait);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone, or never started.
        }
    }

    private static KeylessException CannotRun(string command, string reason, string? hint, Exception? inner = null)
    {
        var message = $"cannot run {command}: {reason}. Check the name and $PATH{(hint is null ? "" : "; " + hint)}.";
        return inner is null ? KeylessException.Input(message) : new KeylessException(FailureKind.UnusableInput, message, inner);
    }
}
