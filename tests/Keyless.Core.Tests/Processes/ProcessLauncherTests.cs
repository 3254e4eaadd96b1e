using System.Diagnostics;
using Keyless.Core.Processes;

namespace Keyless.Core.Tests.Processes;

public sealed class ProcessLauncherTests
{
    [Fact]
    public void A_program_that_is_not_on_the_path_is_a_user_mistake_that_names_it()
    {
        var start = ProcessLauncher.StartInfo("kl-no-such-program", [], ChildStreams.Redirect);

        var error = Assert.Throws<KeylessException>(() => ProcessLauncher.Start(start, hint: "install it with apt-get"));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith("cannot run kl-no-such-program: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Check the name and $PATH; install it with apt-get.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_changes_set_and_remove_variables_and_arguments_reach_the_program_unsplit()
    {
        Environment.SetEnvironmentVariable("KL_LAUNCHER_REMOVED", "present");
        Environment.SetEnvironmentVariable("KL_LAUNCHER_KEPT", "kept");
        try
        {
            var changes = new Dictionary<string, string?> { ["KL_LAUNCHER_REMOVED"] = null, ["KL_LAUNCHER_SET"] = "a b;c" };
            var output = await RunAsync(ProcessLauncher.StartInfo("sh", ["-c", "printf '%s|%s|%s|%s' \"$KL_LAUNCHER_REMOVED\" \"$KL_LAUNCHER_SET\" \"$KL_LAUNCHER_KEPT\" \"$0\"", "one arg"], ChildStreams.Redirect, changes));

            Assert.Equal("|a b;c|kept|one arg", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KL_LAUNCHER_REMOVED", null);
            Environment.SetEnvironmentVariable("KL_LAUNCHER_KEPT", null);
        }
    }

    [Fact]
    public async Task A_replaced_environment_holds_only_the_given_variables_and_the_working_folder_is_used()
    {
        var folder = Directory.CreateTempSubdirectory("kl-launcher-");
        Environment.SetEnvironmentVariable("KL_LAUNCHER_PARENT", "present");
        try
        {
            var start = ProcessLauncher.StartInfo("/bin/sh", ["-c", "printf '%s|%s|%s|' \"${HOME-unset}\" \"${KL_LAUNCHER_PARENT-unset}\" \"$ONLY\"; pwd -P"], ChildStreams.Redirect, new Dictionary<string, string?> { ["ONLY"] = "1" }, folder.FullName, replaceEnvironment: true);

            var output = await RunAsync(start);

            Assert.Equal($"unset|unset|1|{folder.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder.FullName}\n", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KL_LAUNCHER_PARENT", null);
            folder.Delete();
        }
    }

    [Fact]
    public void Kill_tree_stops_the_program_and_what_it_started()
    {
        using var process = ProcessLauncher.Start(ProcessLauncher.StartInfo("sh", ["-c", "sleep 60 & echo $!; wait"], ChildStreams.Redirect));
        var grandchild = int.Parse(process.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);

        ProcessLauncher.KillTree(process, TimeSpan.FromSeconds(10));

        Assert.True(process.HasExited);
        Assert.True(WaitUntilGone(grandchild), $"process {grandchild} (sleep) still runs");
    }

    private static bool WaitUntilGone(int processId)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (!Signals.Send(processId, 0))
            {
                return true;
            }

            Thread.Sleep(50);
        }

        return false;
    }

    private static async Task<string> RunAsync(ProcessStartInfo start)
    {
        using var process = ProcessLauncher.Start(start);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
