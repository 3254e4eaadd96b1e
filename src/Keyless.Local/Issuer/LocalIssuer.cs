using System.Security.Cryptography;
using System.Text.Json;
using Keyless.Core;
using Keyless.Identity;
using Keyless.Local.Cloud;
using Microsoft.AspNetCore.Http;

namespace Keyless.Local.Issuer;

/// <summary>
/// A GitLab-shaped OIDC issuer on 127.0.0.1: the discovery document at <c>/.well-known/openid-configuration</c>
/// and the JWKS at GitLab's path <c>/oauth/discovery/keys</c>, with <c>issuer</c> = its own
/// <c>http://127.0.0.1:PORT</c>. <c>/keyless/instance</c> answers a random id made at each start, so a client
/// can tell that the process it talks to is the one it started. Writes nothing to the console.
/// </summary>
public sealed class LocalIssuer : IAsyncDisposable
{
    public const string DiscoveryPath = JwksLocation.DiscoveryPath;
    public const string JwksPath = "/oauth/discovery/keys";
    public const string InstancePath = "/keyless/instance";

    /// <summary>The claims the local minter puts in its tokens (advertised as claims_supported).</summary>
    public static readonly IReadOnlyList<string> ClaimsSupported =
    [
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
        "namespace_id", "namespace_path", "project_id", "project_path",
        "user_id", "user_login", "user_email", "user_access_level",
        "pipeline_id", "pipeline_source", "job_id",
        "ref", "ref_type", "ref_path", "ref_protected",
        "environment", "environment_protected", "deployment_tier", "environment_action",
        "runner_id", "runner_environment", "sha", "project_visibility", "ci_config_ref_uri", "ci_config_sha",
        "job_project_id", "job_project_path", "job_namespace_id", "job_namespace_path",
    ];

    private static readonly string[] ResponseTypes = ["code"];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] SigningAlgorithms = ["RS256"];

    private readonly LoopbackWebServer _server;
    private readonly IssuerRecord _record;
    private int _stopped;

    private LocalIssuer(LoopbackWebServer server, IssuerKey key, string stateDirectory, IssuerRecord record)
    {
        _server = server;
        Key = key;
        StateDirectory = stateDirectory;
        _record = record;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>: the issuer URL, the <c>iss</c> of its tokens.</summary>
    public string Url => _record.Url;

    public int Port => new Uri(Url).Port;

    /// <summary>The random id of this start, as <c>/keyless/instance</c> answers it.</summary>
    public string InstanceId => _record.Instance;

    public IssuerKey Key { get; }

    public string StateDirectory { get; }

    /// <summary>
    /// Starts the issuer on 127.0.0.1:<paramref name="port"/> (0 = a free port) with the key kept in
    /// <paramref name="stateDirectory"/>, and records itself there in <c>issuer.json</c>.
    /// </summary>
    public static async Task<LocalIssuer> StartAsync(string stateDirectory, int port = 0, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateDirectory);
        if (port is < 0 or > 65535)
        {
            throw KeylessException.Input($"--port {port}: not a TCP port; give 1-65535, or 0 for a free one.");
        }

        await RefuseWhenOneRunsAsync(stateDirectory, cancellationToken);
        var key = IssuerKey.LoadOrCreate(stateDirectory);
        var instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var holder = new UrlHolder();

        var jwks = JsonSerializer.Serialize(new { keys = new[] { key.PublicJwk() } });
        LoopbackWebServer server;
        try
        {
            server = await LoopbackWebServer.StartAsync("Keyless.LocalIssuer", port, context => Serve(context, holder, jwks, instance), cancellationToken);
        }
        catch
        {
            key.Dispose();
            throw;
        }

        holder.Url = server.Url;
        var record = new IssuerRecord(holder.Url, Environment.ProcessId, instance, key.KeyId, (time ?? TimeProvider.System).GetUtcNow());
        record.Write(stateDirectory);
        return new LocalIssuer(server, key, stateDirectory, record);
    }

    /// <summary>
    /// A second issuer on the same state folder would replace the first one's record and delete it when it stops,
    /// leaving the first serving unrecorded; refuse instead while the recorded one still answers as itself.
    /// </summary>
    private static async Task RefuseWhenOneRunsAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        IssuerRecord? record;
        try
        {
            record = IssuerRecord.Read(stateDirectory);
        }
        catch (KeylessException)
        {
            return; // An unreadable record belongs to no running issuer; starting replaces it.
        }

        if (record is not null && record.ProcessIsAlive() && await AnswersAsync(record, cancellationToken))
        {
            throw KeylessException.Input($"A local issuer already runs for the state folder {stateDirectory}: process {record.ProcessId}, {record.Url}. Use that one, stop it first (Ctrl-C where it runs, or kill {record.ProcessId}), or start this one with another --state DIR.");
        }
    }

    private static async Task<bool> AnswersAsync(IssuerRecord record, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri(record.Url + InstancePath), cancellationToken));
            return answer.RootElement.TryGetProperty("instance", out var instance) && instance.GetString() == record.Instance;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or UriFormatException or InvalidOperationException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>The discovery document for an issuer at <paramref name="url"/>.</summary>
    public static string DiscoveryDocument(string url) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = url,
        ["jwks_uri"] = url + JwksPath,
        ["response_types_supported"] = ResponseTypes,
        ["subject_types_supported"] = SubjectTypes,
        ["id_token_signing_alg_values_supported"] = SigningAlgorithms,
        ["claims_supported"] = ClaimsSupported,
    });

    /// <summary>Stops listening and removes <c>issuer.json</c> (if it is still this instance's).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            await _server.DisposeAsync();
        }
        finally
        {
            _record.Remove(StateDirectory);
            Key.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static Task Serve(HttpContext context, UrlHolder holder, string jwks, string instance)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        var url = holder.Url ?? $"http://127.0.0.1:{context.Connection.LocalPort}";
        string? body = request.Path.Value switch
        {
            DiscoveryPath => DiscoveryDocument(url),
            JwksPath => jwks,
            InstancePath => JsonSerializer.Serialize(new { instance }),
            _ => null,
        };

        if (body is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.WriteAsync(body, context.RequestAborted);
    }

    private sealed class UrlHolder
    {
        public volatile string? Url;
    }
}
