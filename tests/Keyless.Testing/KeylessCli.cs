using System.Text.RegularExpressions;
using Keyless.Cli;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Deploy.Aws;
using Spectre.Console;
using Spectre.Console.Testing;

namespace Keyless.Testing;

/// <summary>
/// What one in-process run of keyless printed and returned. <see cref="Errors"/> has the console's line wrapping
/// undone (lines joined with one space), so assertions do not depend on where a long message wrapped.
/// </summary>
public sealed record CliResult(int ExitCode, string Output, string Errors)
{
    public string All => Output + Errors;

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Errors}";
}

/// <summary>Runs the whole command line in-process, as Program does, with captured consoles wide enough that little wraps.</summary>
public static partial class KeylessCli
{
    public const int ConsoleWidth = 250;

    /// <summary>With the process's services (environment, clock, working folder), as a user's shell would run it.</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new KeylessServices(), args);

    public static Task<CliResult> RunAsync(KeylessServices services, params string[] args) => RunAsync(services, interactive: false, args);

    /// <summary>An environment of its own and optionally a connector that wraps or replaces the AWS one.</summary>
    public static Task<CliResult> RunAsync(IEnvironment environment, IDeployConnector? connector, params string[] args) =>
        RunAsync(new KeylessServices { Environment = environment, Connector = connector }, interactive: false, args);

    /// <summary>As in a terminal: progress bars instead of log lines.</summary>
    public static Task<CliResult> RunInTerminalAsync(IEnvironment environment, params string[] args) =>
        RunAsync(new KeylessServices { Environment = environment }, interactive: true, args);

    /// <summary>With the consoles keyless makes for redirected output (a pipe, a file, a CI log).</summary>
    public static async Task<CliResult> RunRedirectedAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await KeylessApp.RunAsync(args, Consoles.Create(output, redirected: true), Consoles.Create(errors, redirected: true));
        return new CliResult(exitCode, output.ToString(), Unwrap(errors.ToString()));
    }

    private static async Task<CliResult> RunAsync(KeylessServices services, bool interactive, string[] args)
    {
        using var output = new TestConsole().Width(ConsoleWidth);
        if (interactive)
        {
            output.Interactive();
        }

        using var errors = new TestConsole().Width(ConsoleWidth);
        var exitCode = await KeylessApp.RunAsync(args, output, errors, services);
        return new CliResult(exitCode, output.Output, Unwrap(errors.Output));
    }

    private static string Unwrap(string text) => LineBreak().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex LineBreak();
}
