using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Core.Processes;
using Keyless.Local.Cloud;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Local;

public sealed class LocalUpSettings : StateSettings
{
    [CommandOption("--detach")]
    [Description("Start everything in the background, print the URLs and return; `keyless local down` stops it.")]
    public bool Detach { get; init; }
}

/// <summary>
/// <c>keyless local up</c>: the whole system on this machine — moto, the local GitLab issuer, the local STS,
/// the stack applied with IAM enforcement, the real pipeline run for the default branch and a release tag —
/// then the sites served on local URLs until Ctrl-C.
/// </summary>
public sealed class LocalUpCommand(IAnsiConsole console, KeylessServices services) : AsyncCommand<LocalUpSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LocalUpSettings settings, CancellationToken cancellationToken)
    {
        var repository = RepositoryRoot(services.WorkingFolder);
        var state = services.StateRoot(settings.State);
        if (settings.Detach)
        {
            return await DetachAsync(state, cancellationToken);
        }

        var logPath = Path.Combine(state, "local", "pipeline.log");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        await using var logFile = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var view = new LocalUpScreen(console, services.Time, logFile, live: console.Profile.Capabilities.Interactive && !services.InGitLabCi);
        view.Say($"full log: {logPath}");

        var (cloud, _) = await view.RunAsync(progress => LocalUp.RunAsync(new LocalCloudOptions(repository, state, services.Environment.Variable), progress, cancellationToken));
        await using (cloud)
        {
            LocalUpRecord.Write(state, new LocalUpRecord(Environment.ProcessId, cloud.SiteUrls));
            view.Say("Serving until Ctrl-C (or `keyless local down`).");
            await UntilStopped.WaitAsync(cancellationToken);
            LocalUpRecord.Remove(state);
        }

        return ExitCodes.Success;
    }

    // Runs `keyless local up` as a background process and returns once it serves (or failed).
    private async Task<int> DetachAsync(string state, CancellationToken cancellationToken)
    {
        var log = Path.Combine(state, "local", "up.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        LocalUpRecord.Remove(state);
        File.WriteAllText(log, "");
        var self = Environment.GetCommandLineArgs()[0];
        string[] keyless = self.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", self] : [self];
        using var child = BackgroundProcess.Start([.. keyless, "local", "up", "--state", state], log, services.WorkingFolder);
        while (!child.HasExited)
        {
            if (LocalUpRecord.Read(state) is { } record)
            {
                foreach (var (environment, url) in record.SiteUrls)
                {
                    console.Profile.Out.Writer.WriteLine($"{environment}: {url}");
                }

                console.Profile.Out.Writer.WriteLine($"running in the background (process {record.ProcessId}, log {log}); stop it with `keyless local down`.");
                return ExitCodes.Success;
            }

            try
            {
                await Task.Delay(500, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C before it serves stops it, as it would a `local up` in the foreground (its own session
                // does not get the terminal's interrupt).
                Signals.Send(child.Id, Signals.Interrupt);
                throw;
            }
        }

        throw new KeylessException(FailureKind.Failed, $"keyless local up stopped before serving (exit {child.ExitCode}); see {log}.");
    }

    private static string RepositoryRoot(string workingFolder)
    {
        for (var folder = new DirectoryInfo(workingFolder); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, KeylessConfig.FileName)) && File.Exists(Path.Combine(folder.FullName, ".gitlab-ci.yml")))
            {
                return folder.FullName;
            }
        }

        throw KeylessException.Input($"No project here: run `keyless local up` in a repository with {KeylessConfig.FileName} and .gitlab-ci.yml (none in {workingFolder} or above).");
    }
}

/// <summary><c>keyless local down</c>: stops what <c>keyless local up --detach</c> started.</summary>
public sealed class LocalDownCommand(IAnsiConsole console, KeylessServices services) : AsyncCommand<LocalUpSettings>
{
    private static readonly TimeSpan StartTimeMargin = TimeSpan.FromSeconds(2);

    /// <summary>How long <c>local up</c> gets to stop its servers and pipeline runs after SIGTERM; tests shorten it.</summary>
    internal static TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public override async Task<int> ExecuteAsync(CommandContext context, LocalUpSettings settings, CancellationToken cancellationToken)
    {
        var state = services.StateRoot(settings.State);
        if (LocalUpRecord.Read(state) is not { } record)
        {
            console.Profile.Out.Writer.WriteLine("nothing to stop: no `keyless local up` is recorded in " + state);
            return ExitCodes.Success;
        }

        using var process = Running(record.ProcessId);
        // The record outlives a `local up` that was killed; its process ID may have gone to another program since.
        // `local up` writes the record once it serves, so a process that started after that is not the one recorded
        // (with a margin: Linux reports start times to the second of the boot time).
        if (process is null || process.StartTime.ToUniversalTime() > LocalUpRecord.WrittenAt(state) + StartTimeMargin)
        {
            LocalUpRecord.Remove(state);
            console.Profile.Out.Writer.WriteLine($"nothing to stop: the recorded `keyless local up` (process {record.ProcessId}) is no longer running; removed its record from {state}");
            return ExitCodes.Success;
        }

        Signals.Send(record.ProcessId, Signals.Terminate);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The time-out, not the user: a failure to report, not a cancel (exit 130).
            throw new KeylessException(
                FailureKind.Failed,
                $"`keyless local up` (process {record.ProcessId}) did not stop within {StopTimeout.TotalSeconds:0.#} s of being asked to (SIGTERM); it is still running and its record stays in {state}. " +
                $"Stop it by hand with `kill {record.ProcessId}` (or `kill -9 {record.ProcessId}` if it does not stop), then run `keyless local down` again to remove the record.");
        }

        LocalUpRecord.Remove(state);
        console.Profile.Out.Writer.WriteLine($"stopped process {record.ProcessId}");
        return ExitCodes.Success;
    }

    private static Process? Running(int processId)
    {
        try
        {
            var process = Process.GetProcessById(processId);
            if (!process.HasExited)
            {
                return process;
            }

            process.Dispose();
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>What a running <c>keyless local up</c> serves, recorded in the state folder for --detach and down.</summary>
public sealed record LocalUpRecord(int ProcessId, IReadOnlyDictionary<string, string> SiteUrls)
{
    private static string PathIn(string state) => Path.Combine(state, "local", "up.json");

    public static void Write(string state, LocalUpRecord record) => File.WriteAllText(PathIn(state), JsonSerializer.Serialize(record));

    public static LocalUpRecord? Read(string state)
    {
        try
        {
            return File.Exists(PathIn(state)) ? JsonSerializer.Deserialize<LocalUpRecord>(File.ReadAllText(PathIn(state))) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Remove(string state) => File.Delete(PathIn(state));

    public static DateTime WrittenAt(string state) => File.GetLastWriteTimeUtc(PathIn(state));
}
