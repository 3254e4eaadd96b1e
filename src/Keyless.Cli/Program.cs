using Spectre.Console;

namespace Keyless.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var output = CreateConsole(Console.Out, Console.IsOutputRedirected);
        var errors = CreateConsole(Console.Error, Console.IsErrorRedirected);
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        return KeylessApp.RunAsync(args, output, errors, cancellation.Token);
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });

        // Logs (CI, pipes) are read in wide windows; don't wrap them at 80 columns.
        if (redirected)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}
