using Keyless.Cli;
using Keyless.Deploy.Aws;
using Keyless.Testing;
using Spectre.Console.Testing;

namespace Keyless.Deploy.Tests.Support;

/// <summary>What one in-process run of keyless printed and returned; <see cref="Errors"/> is unwrapped (the console wraps long messages).</summary>
internal sealed record CliResult(int ExitCode, string Output, string Errors)
{
    public string All => Output + Errors;

    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}--- stdout{Environment.NewLine}{Output}{Environment.NewLine}--- stderr{Environment.NewLine}{Errors}";
}

/// <summary>Runs the whole command line in-process with test consoles, an environment of its own and optionally a wrapped store.</summary>
internal static class KeylessCli
{
    public static Task<CliResult> RunAsync(MapEnvironment environment, IDeployConnector? connector, params string[] args) =>
        RunAsync(environment, connector, interactive: false, args);

    /// <summary>As in a terminal: progress bars instead of log lines.</summary>
    public static Task<CliResult> RunInTerminalAsync(MapEnvironment environment, params string[] args) =>
        RunAsync(environment, null, interactive: true, args);

    private static async Task<CliResult> RunAsync(MapEnvironment environment, IDeployConnector? connector, bool interactive, string[] args)
    {
        using var output = new TestConsole().Width(250);
        if (interactive)
        {
            output.Interactive();
        }

        using var errors = new TestConsole().Width(250);
        var services = new KeylessServices { Environment = environment, Connector = connector };
        var exitCode = await KeylessApp.RunAsync(args, output, errors, services);
        return new CliResult(exitCode, output.Output, System.Text.RegularExpressions.Regex.Replace(errors.Output, @"\s*\n\s*", " ").Trim());
    }
}
