using System.Net;
using Amazon.Runtime;

namespace Keyless.Deploy.Storage;

/// <summary>
/// How many requests one S3 client has under way, adapted to what S3 takes (additive increase, multiplicative
/// decrease): a 503 (SlowDown, S3's answer to a request rate it is not yet scaled for) halves the number of
/// requests let through, at most once per round of requests; every <see cref="Limit"/> answers without one let
/// one more through, up to the maximum. The SDK still retries the 503 itself, with backoff; this keeps the retries
/// from meeting the same overload.
/// </summary>
public sealed class RequestWindow
{
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private readonly int _maximum;
    private int _limit;
    private int _inFlight;
    private int _answered;
    private int _round;

    public RequestWindow(int maximum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maximum, 1);
        _maximum = maximum;
        _limit = maximum;
        Lowest = maximum;
    }

    /// <summary>Requests let through at once now.</summary>
    public int Limit
    {
        get
        {
            lock (_gate)
            {
                return _limit;
            }
        }
    }

    /// <summary>The lowest <see cref="Limit"/> so far.</summary>
    public int Lowest { get; private set; }

    /// <summary>503 answers seen.</summary>
    public int SlowDowns { get; private set; }

    /// <summary>Waits for room; returns the round the request starts in, for <see cref="Leave"/>.</summary>
    public async Task<int> EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiting;
        lock (_gate)
        {
            if (_inFlight < _limit)
            {
                _inFlight++;
                return _round;
            }

            waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiting);
        }

        using (cancellationToken.Register(() => waiting.TrySetCanceled(cancellationToken)))
        {
            await waiting.Task;
        }

        lock (_gate)
        {
            return _round;
        }
    }

    /// <summary>A request that entered in <paramref name="round"/> is answered (<paramref name="slowDown"/>: with a 503) or failed.</summary>
    public void Leave(int round, bool slowDown)
    {
        lock (_gate)
        {
            // Requests that started before the last cut were sent at the old rate: their 503s are already counted.
            if (slowDown)
            {
                SlowDowns++;
                if (round == _round)
                {
                    _limit = Math.Max(1, Math.Min(_limit, _inFlight) / 2);
                    Lowest = Math.Min(Lowest, _limit);
                    _round++;
                    _answered = 0;
                }
            }
            else if (++_answered >= _limit && _limit < _maximum)
            {
                _limit++;
                _answered = 0;
            }

            _inFlight--;
            while (_inFlight < _limit && _waiting.TryDequeue(out var next))
            {
                if (next.TrySetResult())
                {
                    _inFlight++;
                }
            }
        }
    }
}

/// <summary>Sends every request of an S3 client through its <see cref="RequestWindow"/>.</summary>
internal sealed class WindowedHandler(RequestWindow window, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var round = await window.EnterAsync(cancellationToken);
        var slowDown = false;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            slowDown = response.StatusCode == HttpStatusCode.ServiceUnavailable;
            return response;
        }
        finally
        {
            window.Leave(round, slowDown);
        }
    }
}

/// <summary>
/// The S3 client's one HTTP client: a connection pool of <paramref name="maxConnections"/> behind a
/// <see cref="RequestWindow"/> of the same size. Made once and reused for every request (the SDK's own cache is
/// shared by every client with the same settings, and so would be the window).
/// </summary>
internal sealed class WindowedHttpClients(RequestWindow window, int maxConnections, TimeSpan timeout) : HttpClientFactory
{
    private readonly Lazy<HttpClient> _client = new(() => new HttpClient(new WindowedHandler(window, new SocketsHttpHandler
    {
        MaxConnectionsPerServer = maxConnections,
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    }))
    {
        Timeout = timeout,
    });

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client.Value;

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}
