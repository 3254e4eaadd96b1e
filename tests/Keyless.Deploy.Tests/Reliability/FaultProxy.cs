using System.Collections.Concurrent;
using System.Net;
using Keyless.Local.Cloud;
using Microsoft.AspNetCore.Http;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>What the proxy does with one request.</summary>
public enum Fault
{
    /// <summary>Forwarded to S3, the answer relayed.</summary>
    None,

    /// <summary>The request is read, then the connection is aborted: S3 never sees it.</summary>
    Reset,

    /// <summary>The request is read and answered 500 InternalError: S3 never sees it.</summary>
    ServerError,

    /// <summary>The request is read and answered 503 SlowDown, as S3 throttles: S3 never sees it.</summary>
    SlowDown,

    /// <summary>Forwarded, so it takes effect in S3, then the connection is aborted instead of answering.</summary>
    LoseResponse,

    /// <summary>Forwarded, so it takes effect in S3, then answered 500 InternalError as if it had not.</summary>
    ServerErrorAfterApplying,
}

/// <summary>One request as it reached the proxy: its 1-based number within its bucket, and its attempt at this method and URL.</summary>
internal sealed record ProxiedRequest(int Number, int Attempt, string Method, string Bucket, string PathAndQuery)
{
    /// <summary>The <c>x-amz-copy-source</c> header of a CopyObject, as sent.</summary>
    public string? CopySource { get; init; }

    /// <summary>What the request asks, the same in every bucket: the method and the URL without the bucket and without
    /// the IDs S3 hands out (<c>versionId</c>, <c>uploadId</c>), e.g. <c>PUT /.keyless/current.json</c>.</summary>
    public string What { get; init; } = "";

    /// <summary>Which request of its bucket asking <see cref="What"/> it is (1-based). Unlike <see cref="Number"/>, it does
    /// not depend on the order in which requests sent together arrive.</summary>
    public int Occurrence { get; init; }

    public override string ToString() => Occurrence == 1 ? What : $"{What} (#{Occurrence})";

    /// <summary><see cref="What"/> for a request of <paramref name="bucket"/> (addressed path-style).</summary>
    public static string Describe(string method, string bucket, string pathAndQuery)
    {
        var rest = pathAndQuery.StartsWith("/" + bucket, StringComparison.Ordinal) ? pathAndQuery[(bucket.Length + 1)..] : pathAndQuery;
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rest : rest[..query];
        string[] kept = query < 0 ? [] : rest[(query + 1)..].Split('&').Where(p => !p.StartsWith("versionId=", StringComparison.Ordinal) && !p.StartsWith("uploadId=", StringComparison.Ordinal)).ToArray();
        return $"{method} {(path.Length == 0 ? "/" : path)}{(kept.Length == 0 ? "" : "?" + string.Join('&', kept))}";
    }
}

/// <summary>
/// A real HTTP proxy (Kestrel on 127.0.0.1, a free port) in front of an S3 endpoint that fails chosen requests
/// the ways a network and S3 fail: the connection cut before or after the request took effect, a 500 before
/// or after it took effect, a 503 SlowDown. (.NET's HTTP handler itself sends a request again, once, when a
/// reused connection is cut before any answer; a 500 reaches the SDK, which retries as configured.) The client's Host header is kept, so its signature still holds. Requests are counted per bucket
/// (the first path segment: clients address it path-style), so tests on separate buckets do not disturb
/// each other's numbering.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Authenticate", "Expect",
    };

    private readonly ConcurrentDictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(ProxiedRequest Request, Fault Fault)> _log = new();
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly Uri _target;
    private LoopbackWebServer? _server;
    private int _inFlight;
    private int _slowDowns;

    private FaultProxy(Uri target) => _target = target;

    /// <summary>Decides each request's fault; <see cref="Fault.None"/> by default.</summary>
    public Func<ProxiedRequest, Fault> Faults { get; set; } = _ => Fault.None;

    /// <summary>Answers 503 SlowDown to a request that arrives while this many are under way, as S3 does to a rate it is not scaled for.</summary>
    public int? SlowDownAbove { get; set; }

    /// <summary>503s sent because of <see cref="SlowDownAbove"/>.</summary>
    public int OverloadSlowDowns => Volatile.Read(ref _slowDowns);

    public Uri Url => new(_server!.Url);

    /// <summary>Every request so far with what was done to it.</summary>
    public IReadOnlyList<(ProxiedRequest Request, Fault Fault)> Log => [.. _log];

    public static async Task<FaultProxy> StartAsync(Uri target)
    {
        var proxy = new FaultProxy(target);
        proxy._server = await LoopbackWebServer.StartAsync("Keyless.Tests.FaultProxy", 0, proxy.HandleAsync);
        return proxy;
    }

    /// <summary>How many requests for this bucket reached the proxy.</summary>
    public int Count(string bucket) => _numbers.GetValueOrDefault(bucket);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            if (inFlight > SlowDownAbove)
            {
                Interlocked.Increment(ref _slowDowns);
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                await ErrorAsync(context, 503, "SlowDown", "Please reduce your request rate.");
                return;
            }

            await ForwardAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var bucket = path.TrimStart('/').Split('/')[0];
        var pathAndQuery = request.Path.ToUriComponent() + request.QueryString.ToUriComponent();
        var what = ProxiedRequest.Describe(request.Method, bucket, pathAndQuery);
        var proxied = new ProxiedRequest(
            _numbers.AddOrUpdate(bucket, 1, (_, n) => n + 1),
            _attempts.AddOrUpdate(request.Method + " " + pathAndQuery, 1, (_, n) => n + 1),
            request.Method,
            bucket,
            pathAndQuery)
        {
            CopySource = request.Headers.TryGetValue("x-amz-copy-source", out var source) ? source.ToString() : null,
            What = what,
            Occurrence = _occurrences.AddOrUpdate(bucket + " " + what, 1, (_, n) => n + 1),
        };
        var fault = Faults(proxied);
        _log.Enqueue((proxied, fault));

        // The whole request is read first in every case: the fault comes after S3 (or the proxy) had it all.
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        switch (fault)
        {
            case Fault.Reset:
                context.Abort();
                return;
            case Fault.ServerError:
                await ErrorAsync(context, 500, "InternalError", "We encountered an internal error. Please try again.");
                return;
            case Fault.SlowDown:
                await ErrorAsync(context, 503, "SlowDown", "Please reduce your request rate.");
                return;
        }

        using var forwarded = Forward(request, pathAndQuery, body.ToArray());
        using var response = await _upstream.SendAsync(forwarded, HttpCompletionOption.ResponseContentRead, context.RequestAborted);
        if (fault == Fault.LoseResponse)
        {
            context.Abort();
            return;
        }

        if (fault == Fault.ServerErrorAfterApplying)
        {
            await ErrorAsync(context, 500, "InternalError", "We encountered an internal error. Please try again.");
            return;
        }

        await RelayAsync(context, response);
    }

    private HttpRequestMessage Forward(HttpRequest request, string pathAndQuery, byte[] body)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, pathAndQuery));
        if (body.Length > 0 || request.ContentLength is not null)
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopHeaders.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = values.ToString();
            }
            else if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        return message;
    }

    private static async Task RelayAsync(HttpContext context, HttpResponseMessage upstream)
    {
        var response = context.Response;
        response.StatusCode = (int)upstream.StatusCode;
        foreach (var (name, values) in upstream.Headers.Concat(upstream.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                response.Headers[name] = values.ToArray();
            }
        }

        var content = await upstream.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            response.ContentLength = content.Length;
            await response.Body.WriteAsync(content, context.RequestAborted);
        }
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        var requestId = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{requestId}</RequestId><HostId>faultproxy</HostId></Error>";
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        context.Response.Headers["x-amz-request-id"] = requestId;
        await context.Response.WriteAsync(xml, context.RequestAborted);
    }
}
