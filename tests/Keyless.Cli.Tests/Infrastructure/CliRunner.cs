using Spectre.Console.Testing;

namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>What one in-process run of keyless printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}--- stdout{Environment.NewLine}{Output}{Environment.NewLine}--- stderr{Environment.NewLine}{Errors}";
}

/// <summary>Runs the whole command line in-process with two test consoles, wide enough that nothing wraps.</summary>
internal static class CliRunner
{
    public const int ConsoleWidth = 250;

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new KeylessServices(), args);

    /// <summary>Runs with <paramref name="services"/>: a working folder, standard input or environment of the test's own.</summary>
    public static async Task<CliResult> RunAsync(KeylessServices services, params string[] args)
    {
        using var output = new TestConsole().Width(ConsoleWidth);
        using var errors = new TestConsole().Width(ConsoleWidth);
        var exitCode = await KeylessApp.RunAsync(args, output, errors, services);
        return new CliResult(exitCode, output.Output, errors.Output);
    }

    /// <summary>Runs with the consoles keyless makes for redirected output (a pipe, a file, a CI log).</summary>
    public static async Task<CliResult> RunRedirectedAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exitCode = await KeylessApp.RunAsync(args, Rendering.Consoles.Create(output, redirected: true), Rendering.Consoles.Create(errors, redirected: true));
        return new CliResult(exitCode, output.ToString(), errors.ToString());
    }
}
