using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>
/// A moto_server this fixture starts on a free loopback port and kills when done. It only counts as ready when
/// the process it started says it is running on that port, still lives, and answers <c>GET /moto-api/</c>:
/// if someone else's server took the port meanwhile, ours exits with "Address already in use" and another port
/// is tried, so the tests never talk to a server they did not start.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private Process? _process;
    private readonly StringBuilder _log = new();

    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var failures = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var process = Start(port);
            var outcome = await WaitUntilReady(process, port);
            if (outcome is null)
            {
                _process = process;
                Url = $"http://127.0.0.1:{port}";
                return;
            }

            Stop(process);
            failures.Add($"port {port}: {outcome}");
            if (!outcome.Contains("Address already in use", StringComparison.Ordinal))
            {
                break;
            }
        }

        throw new InvalidOperationException("moto_server did not start: " + string.Join(" | ", failures));
    }

    public Task DisposeAsync()
    {
        if (_process is not null)
        {
            Stop(_process);
        }

        return Task.CompletedTask;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private Process Start(int port)
    {
        var start = new ProcessStartInfo("moto_server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    /// <summary>Null when ready; otherwise why not.</summary>
    private async Task<string?> WaitUntilReady(Process process, int port)
    {
        lock (_log)
        {
            _log.Clear();
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var running = $"Running on http://127.0.0.1:{port}";
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                return $"moto_server exited with {process.ExitCode}: {Log().Trim()}";
            }

            if (Log().Contains(running, StringComparison.Ordinal))
            {
                try
                {
                    using var answer = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/moto-api/"));
                    if (answer.IsSuccessStatusCode && !process.HasExited)
                    {
                        return null;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException)
                {
                    // Slow to answer; try again.
                }
            }

            await Task.Delay(100);
        }

        return $"not ready after {StartTimeout.TotalSeconds} s: {Log().Trim()}";
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }
}
