using Keyless.Local.Cloud;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>
/// The moto_server that keyless's local cloud starts (<see cref="MotoServer"/>), shared by a collection of tests.
/// Ready only when the process listening on its port is the one it started, so the tests never talk to a server
/// they did not start.
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    /// <summary>The server's address without a trailing slash, as an endpoint variable holds it.</summary>
    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await MotoServer.StartAsync(timeout: TimeSpan.FromSeconds(60));
        Assert.True(LoopbackPorts.IsListeningProcess(_server.Port, _server.ProcessId), $"port {_server.Port} is not served by moto_server process {_server.ProcessId}");
        Url = _server.Url.ToString().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
