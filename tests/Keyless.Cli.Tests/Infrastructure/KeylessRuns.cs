namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>A run of the real program read as the in-process runner's result, so the same assertions apply.</summary>
internal static class KeylessRuns
{
    public static CliResult AsCliResult(this KeylessRun run) => new(run.ExitCode, run.Output, run.Errors);
}
