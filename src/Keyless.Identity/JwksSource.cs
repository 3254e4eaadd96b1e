using System.Net.Http.Headers;
using System.Text.Json;
using Keyless.Core;
using Microsoft.IdentityModel.Tokens;

namespace Keyless.Identity;

/// <summary>
/// The identity provider could not hand over its keys: discovery or JWKS unreachable, slow, refused or
/// unreadable. AWS answers such a token with <c>InvalidIdentityToken: Couldn't retrieve verification key …</c>.
/// </summary>
public sealed class JwksUnavailableException : KeylessException
{
    public JwksUnavailableException(string message)
        : base(FailureKind.Failed, message)
    {
    }

    public JwksUnavailableException(string message, Exception inner)
        : base(FailureKind.Failed, message, inner)
    {
    }
}

/// <summary>A key set and where it came from.</summary>
public sealed record JwksDocument(JsonWebKeySet Keys, string Origin, bool FromCache)
{
    /// <summary>The key ids in the set, for messages.</summary>
    public IReadOnlyList<string> KeyIds => [.. Keys.Keys.Select(k => k.Kid ?? "(no kid)")];
}

/// <summary>
/// Fetches an issuer's JWKS the way AWS does: discovery document, then <c>jwks_uri</c>; each request must
/// answer within 5 seconds. Documents are cached in memory by URL for <see cref="Ttl"/>; a refresh bypasses
/// the cache for the key set (used once when a token names an unknown <c>kid</c>, i.e. after key rotation).
/// Source: https://repost.aws/knowledge-center/iam-sts-invalididentitytoken (latency over 5 s fails).
/// </summary>
public sealed class JwksSource
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Discovery documents and key sets are small; anything far larger is not one.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private readonly HttpClient _http;
    private readonly InputFiles? _files;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Fetched, string Json)> _cache = new(StringComparer.Ordinal);

    /// <param name="http">Fetches discovery documents and key sets.</param>
    /// <param name="time">The clock of the cache.</param>
    /// <param name="ttl">How long a fetched key set is used.</param>
    /// <param name="timeout">How long a fetch may take.</param>
    /// <param name="files">Reads JWKS files (relative to its working folder); null: a source of URLs only.</param>
    public JwksSource(HttpClient http, TimeProvider? time = null, TimeSpan? ttl = null, TimeSpan? timeout = null, InputFiles? files = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _files = files;
        _time = time ?? TimeProvider.System;
        Ttl = ttl ?? DefaultTtl;
        Timeout = timeout ?? DefaultTimeout;
    }

    public TimeSpan Ttl { get; }

    public TimeSpan Timeout { get; }

    /// <summary>
    /// The key set at <paramref name="location"/>. Throws <see cref="JwksUnavailableException"/> when the provider
    /// cannot be reached or answers with something that is not a key set, and a <see cref="KeylessException"/>
    /// (<see cref="FailureKind.UnusableInput"/>) when a JWKS file is missing or unreadable.
    /// </summary>
    public async Task<JwksDocument> GetAsync(JwksLocation location, bool refresh = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (location.Kind == JwksLocationKind.File)
        {
            var files = _files ?? throw new InvalidOperationException("This JWKS source reads no files; make it with the command's InputFiles.");
            return new JwksDocument(ParseFile(location.Value, files), location.Value, FromCache: false);
        }

        var jwksUri = location.Value;
        if (location.Kind == JwksLocationKind.Discovery)
        {
            var discoveryUrl = JwksLocation.DiscoveryUrl(location.Value);
            var (discovery, _) = await FetchAsync(discoveryUrl, refresh: false, "discovery document", cancellationToken);
            jwksUri = JwksUriOf(discovery, discoveryUrl);
        }

        var (json, cached) = await FetchAsync(jwksUri, refresh, "JWKS", cancellationToken);
        return new JwksDocument(ParseKeySet(json, jwksUri), jwksUri, cached);
    }

    /// <summary>Forgets every cached document.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _cache.Clear();
        }
    }

    private async Task<(string Json, bool Cached)> FetchAsync(string url, bool refresh, string what, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!refresh && _cache.TryGetValue(url, out var entry) && now - entry.Fetched < Ttl)
            {
                return (entry.Json, true);
            }
        }

        if (!HttpUrl.TryParse(url, out var uri))
        {
            throw new JwksUnavailableException($"the {what} URL \"{url}\" is not an absolute http(s) URL");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        string json;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new JwksUnavailableException($"the {what} at {url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
            {
                throw new JwksUnavailableException($"the {what} at {url} is {response.Content.Headers.ContentLength} bytes, more than a key set can be");
            }

            json = await ReadLimitedAsync(response.Content, url, what, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JwksUnavailableException($"the {what} at {url} did not answer within {Timeout.TotalSeconds:0.#} s (AWS gives up after 5 s)");
        }
        catch (HttpRequestException e)
        {
            throw new JwksUnavailableException($"the {what} at {url} could not be reached ({e.HttpRequestError}: {e.Message})", e);
        }

        lock (_gate)
        {
            _cache[url] = (_time.GetUtcNow(), json);
        }

        return (json, false);
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, string url, string what, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxDocumentBytes)
            {
                throw new JwksUnavailableException($"the {what} at {url} is larger than {MaxDocumentBytes} bytes, more than a key set can be");
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string JwksUriOf(string discovery, string discoveryUrl)
    {
        try
        {
            using var document = JsonDocument.Parse(discovery);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("jwks_uri", out var jwksUri)
                && jwksUri.ValueKind == JsonValueKind.String
                && jwksUri.GetString() is { Length: > 0 } value)
            {
                return value;
            }
        }
        catch (JsonException e)
        {
            throw new JwksUnavailableException($"the discovery document at {discoveryUrl} is not JSON (line {e.LineNumber + 1})", e);
        }

        throw new JwksUnavailableException($"the discovery document at {discoveryUrl} has no jwks_uri");
    }

    private static JsonWebKeySet ParseKeySet(string json, string origin)
    {
        try
        {
            using (var document = JsonDocument.Parse(json))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object
                    || !document.RootElement.TryGetProperty("keys", out var keys)
                    || keys.ValueKind != JsonValueKind.Array)
                {
                    throw new JwksUnavailableException($"{origin} is not a JWKS: expected a JSON object with a \"keys\" array");
                }
            }

            return new JsonWebKeySet(json);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new JwksUnavailableException($"{origin} is not a JWKS: it is not valid JSON", e);
        }
    }

    private static JsonWebKeySet ParseFile(string path, InputFiles files)
    {
        var json = files.Read(path, "--jwks");

        try
        {
            return ParseKeySet(json, path);
        }
        catch (JwksUnavailableException e)
        {
            throw KeylessException.Input($"JWKS file {e.Message}.");
        }
    }
}
