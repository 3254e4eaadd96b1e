using System.Diagnostics;
using Keyless.Core;
using Keyless.Core.Processes;

namespace Keyless.Local.Cloud;

/// <summary>
/// A moto_server of our own on a free loopback port: started, checked to be the process that listens
/// there (another server on the same port would silently answer instead), reset or re-armed, and stopped.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    private readonly Process _process;

    private MotoServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public int ProcessId => _process.Id;

    public static async Task<MotoServer> StartAsync(string executable = "moto_server", TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        for (var attempt = 1; ; attempt++)
        {
            var port = LoopbackPorts.Free();
            var process = Start(executable, port);
            var server = new MotoServer(process, port);
            if (await server.WaitUntilServingAsync(limit, cancellationToken))
            {
                return server;
            }

            await server.DisposeAsync();
            if (attempt == 3)
            {
                throw new KeylessException(FailureKind.Failed, $"moto_server did not start on a free loopback port within {limit.TotalSeconds:F0} s (3 attempts). Check that `{executable} --help` works (moto 5 is expected in the machine's Python).");
            }
        }
    }

    /// <summary>Switches IAM enforcement on: the next request is free, every later one is checked.</summary>
    public async Task EnforceIamAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent("1", System.Text.Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync(new Uri(Url, "/moto-api/reset-auth"), content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Creates the administrator <paramref name="userName"/> (every action on every resource), then switches
    /// IAM enforcement on: from then on only its credentials, and those IAM issues, are accepted.</summary>
    public async Task<Amazon.Runtime.ImmutableCredentials> EnforceIamWithAdministratorAsync(string userName, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        var iam = new IamQueryClient(http, Url, LocalCloudClients.Setup);
        await iam.EnsureUserAsync(userName, cancellationToken);
        await iam.PutUserPolicyAsync(userName, "everything", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""", cancellationToken);
        var administrator = await iam.CreateAccessKeyAsync(userName, cancellationToken);
        await EnforceIamAsync(http, cancellationToken);
        return administrator;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Run(() => ProcessLauncher.KillTree(_process, TimeSpan.FromSeconds(10)));
        _process.Dispose();
    }

    private static Process Start(string executable, int port)
    {
        var arguments = new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var process = ProcessLauncher.Start(
            ProcessLauncher.StartInfo(executable, arguments, ChildStreams.Redirect),
            hint: "the local cloud needs moto 5 (`pip install 'moto[server]'`)");

        // Drain its request log so the pipe never fills up and blocks it; it reads nothing.
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<bool> WaitUntilServingAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                return false; // e.g. "Address already in use": someone else has the port
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/moto-api/"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return !_process.HasExited && LoopbackPorts.IsListeningProcess(Port, _process.Id);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow to answer; try again.
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }
}
