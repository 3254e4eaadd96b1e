using System.Runtime.InteropServices;

namespace Keyless.Cli.Infrastructure;

/// <summary>Waits until the user presses Ctrl-C or the process gets SIGTERM: how long-running local services end.</summary>
public static class UntilStopped
{
    public static async Task WaitAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: the normal way to stop; the caller disposes its services.
        }
    }
}
