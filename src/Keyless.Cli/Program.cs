using System.Runtime.InteropServices;
using Keyless.Cli.Rendering;

namespace Keyless.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var output = Consoles.Create(Console.Out, Console.IsOutputRedirected);
        var errors = Consoles.Create(Console.Error, Console.IsErrorRedirected);

        // Ctrl-C and SIGTERM (what GitLab Runner sends a cancelled job before it kills it) both cancel the command:
        // a deploy then finishes or puts back what is under way and exits with the cancelled code, instead of the
        // process dying mid-publication.
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler interrupt = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += interrupt;
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            cancellation.Cancel();
        });
        try
        {
            return await KeylessApp.RunAsync(args, output, errors, cancellation.Token);
        }
        finally
        {
            Console.CancelKeyPress -= interrupt;
        }
    }
}
