using Spectre.Console.Testing;

namespace Keyless.Cli.Tests.Support;

internal sealed record CliResult(int ExitCode, string Output, string Errors)
{
    public string All => Output + Errors;
}

/// <summary>Runs keyless in-process with captured consoles, as Program does with the real ones.</summary>
internal static class App
{
    public static async Task<CliResult> Run(params string[] args)
    {
        using var output = new TestConsole().Width(200);
        using var errors = new TestConsole().Width(200);
        var code = await KeylessApp.RunAsync(args, output, errors);
        return new CliResult(code, output.Output, errors.Output);
    }
}
