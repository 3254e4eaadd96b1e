using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Keyless.Identity;
using Keyless.Identity.Aws;
using Keyless.Local.Cloud;
using Microsoft.AspNetCore.Http;

namespace Keyless.Local.Sts;

/// <summary>How the local STS is run: where moto is, which port, how IAM is read.</summary>
public sealed record LocalStsOptions(Uri Upstream)
{
    public int Port { get; init; }

    /// <summary>Credentials for reading IAM in moto (any while IAM enforcement is off).</summary>
    public ImmutableCredentials IamCredentials { get; init; } = new("keyless-local-sts", "keyless-local-sts", null);

    /// <summary>When set, accepted requests are forwarded signed with these (moto refuses anonymous calls once IAM is enforced).</summary>
    public ImmutableCredentials? ForwardSigningCredentials { get; init; }

    public TimeSpan IamCacheTtl { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Expose gitlab.com's provider-specific keys (project_id, ref_protected, …) for every issuer, so a
    /// local issuer can stand in for gitlab.com and trust policies pinning those keys work locally.
    /// </summary>
    public bool GitLabComKeys { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public HttpMessageHandler? JwksHandler { get; init; }
}

/// <summary>
/// A local STS in front of moto_server. AssumeRoleWithWebIdentity requests are decided as AWS decides them
/// (<see cref="LocalStsJudge"/>): refused ones get AWS's error XML and status, accepted ones go on to moto,
/// which issues the credentials. Every other request passes through unchanged. <c>/keyless/instance</c>
/// answers a random id of this start, <c>POST /keyless/cache/clear</c> forgets cached IAM reads.
/// </summary>
public sealed class LocalSts : IAsyncDisposable
{
    public const string InstancePath = "/keyless/instance";
    public const string ClearCachePath = "/keyless/cache/clear";

    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Content-Length",
    };

    private readonly LoopbackWebServer _server;
    private readonly HttpClient _upstream;
    private readonly HttpClient _jwks;

    private LocalSts(LoopbackWebServer server, HttpClient upstream, HttpClient jwks, string instance)
    {
        _server = server;
        _upstream = upstream;
        _jwks = jwks;
        InstanceId = instance;
    }

    /// <summary>Raised for every AssumeRoleWithWebIdentity decision (never carries the token).</summary>
    public event Action<LocalStsDecision>? Decided;

    public string Url => _server.Url;

    public string InstanceId { get; }

    public static async Task<LocalSts> StartAsync(LocalStsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
        var jwksHttp = options.JwksHandler is null ? new HttpClient() : new HttpClient(options.JwksHandler, disposeHandler: false);
        var iam = new IamQueryClient(upstream, options.Upstream, options.IamCredentials);
        var judge = new LocalStsJudge(iam, new IdTokenVerifier(new JwksSource(jwksHttp, options.Time), options.Time), options.Time, options.IamCacheTtl, options.GitLabComKeys);
        var instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        LocalSts? self = null;
        var server = await LoopbackWebServer.StartAsync("Keyless.LocalSts", options.Port, context => self!.ServeAsync(context, judge, options, instance), cancellationToken);
        self = new LocalSts(server, upstream, jwksHttp, instance);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
        _jwks.Dispose();
    }

    private async Task ServeAsync(HttpContext context, LocalStsJudge judge, LocalStsOptions options, string instance)
    {
        var request = context.Request;
        if (request.Path == InstancePath)
        {
            await context.Response.WriteAsJsonAsync(new { instance }, context.RequestAborted);
            return;
        }

        if (request.Path == ClearCachePath && HttpMethods.IsPost(request.Method))
        {
            judge.ClearCache();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        byte[]? body = null;
        if (IsForm(request))
        {
            body = await ReadBodyAsync(request, context.RequestAborted);
            var form = ParseForm(request.QueryString.Value, body);
            if (form.GetValueOrDefault("Action") == "AssumeRoleWithWebIdentity")
            {
                var decision = await judge.DecideAsync(WebIdentityRequest.From(form), context.RequestAborted);
                Decided?.Invoke(decision);
                if (!decision.Allowed)
                {
                    context.Response.StatusCode = StsErrorXml.Status(decision.Code);
                    context.Response.ContentType = "text/xml";
                    await context.Response.WriteAsync(StsErrorXml.Render(decision.Code, decision.Message, Guid.NewGuid().ToString()), context.RequestAborted);
                    return;
                }

                if (options.ForwardSigningCredentials is { } signing)
                {
                    await RelayAsync(context, await SignedForwardAsync(options, signing, form, context.RequestAborted));
                    return;
                }
            }
        }

        await RelayAsync(context, await ForwardAsync(context, options.Upstream, body));
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpContext context, Uri upstream, byte[]? body)
    {
        var request = context.Request;
        var target = new Uri(upstream, request.Path.ToUriComponent() + request.QueryString.ToUriComponent());
        var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
        }
        else if (request.ContentLength > 0 || request.Headers.ContainsKey("Transfer-Encoding"))
        {
            message.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopHeaders.Contains(name))
            {
                continue;
            }

            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                // Keep the client's Host: its SigV4 signature covers it.
                message.Headers.Host = values.ToString();
            }
            else if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        return await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
    }

    private async Task<HttpResponseMessage> SignedForwardAsync(LocalStsOptions options, ImmutableCredentials signing, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        // moto refuses anonymous calls once IAM is enforced; an admin-signed call still yields the role's session.
        using var message = QueryApiCall.Signed(options.Upstream, "sts", "us-east-1", signing, form);
        return await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static async Task RelayAsync(HttpContext context, HttpResponseMessage upstream)
    {
        using (upstream)
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

            if (upstream.Content.Headers.ContentLength is { } length)
            {
                response.ContentLength = length;
            }

            await using var stream = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
            await stream.CopyToAsync(response.Body, context.RequestAborted);
        }
    }

    private static bool IsForm(HttpRequest request) =>
        request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
        || (HttpMethods.IsGet(request.Method) && request.Query.ContainsKey("Action"));

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static Dictionary<string, string> ParseForm(string? query, byte[] body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { query?.TrimStart('?') ?? "", Encoding.UTF8.GetString(body) })
        {
            foreach (var pair in source.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Decode(at < 0 ? pair : pair[..at]);
                form[key] = at < 0 ? "" : Decode(pair[(at + 1)..]);
            }
        }

        return form;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
