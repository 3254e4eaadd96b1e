using Keyless.Cli.Infrastructure;

namespace Keyless.Cli.Tests;

/// <summary>What `keyless local up --detach` starts: a process writing its own log, in a session of its own.</summary>
public sealed class BackgroundProcessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Should_WriteItsOutputToTheLogItself_InASessionOfItsOwn()
    {
        // Given a command that writes, waits, then writes to stderr
        var log = _folder.Write("up.log", "");
        using var child = BackgroundProcess.Start(["sh", "-c", "echo first; sleep 2; echo second >&2"], log, Environment.CurrentDirectory);

        // When it is under way
        await WaitForAsync(() => File.ReadAllText(log).Contains("first", StringComparison.Ordinal));

        // Then the started process is the command itself, its output is the log file (no pipe to this
        // process that could close), and it leads a session of its own
        Assert.Contains("echo first", File.ReadAllText($"/proc/{child.Id}/cmdline"), StringComparison.Ordinal);
        Assert.Equal(log, new FileInfo($"/proc/{child.Id}/fd/1").LinkTarget);
        Assert.Equal(log, new FileInfo($"/proc/{child.Id}/fd/2").LinkTarget);
        Assert.Equal(child.Id, Session(child.Id));
        Assert.NotEqual(Session(Environment.ProcessId), Session(child.Id));

        // and everything it writes ends up in the log
        await child.WaitForExitAsync();
        Assert.Equal(0, child.ExitCode);
        Assert.Equal(["first", "second"], File.ReadAllLines(log));
    }

    // Field 6 of /proc/PID/stat, counted after the command name in parentheses (which may hold spaces).
    private static int Session(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 20)
        {
            Assert.True(waited < 10_000, "the background command did not start writing within 10 s");
            await Task.Delay(20);
        }
    }
}
