using System.Collections.Concurrent;
using Keyless.Local.Cloud;
using Microsoft.AspNetCore.Http;

namespace Keyless.EndToEnd;

/// <summary>
/// A loopback stand-in for a GitLab project's generic package registry: files of package <c>keyless</c> are
/// uploaded with <c>PUT …/projects/ID-OR-PATH/packages/generic/keyless/VERSION/FILE</c> (a <c>JOB-TOKEN</c> header
/// required, as GitLab requires a token) and downloaded with <c>GET</c> of the same URL; every request is recorded.
/// </summary>
public sealed class PackageRegistry : IAsyncDisposable
{
    public const string ProjectId = "4242";

    private readonly LoopbackWebServer _server;

    private PackageRegistry(LoopbackWebServer server, string folder)
    {
        _server = server;
        Folder = folder;
    }

    /// <summary>Where the files are kept: <c>VERSION/FILE</c>.</summary>
    public string Folder { get; }

    /// <summary>What GitLab would have in <c>CI_API_V4_URL</c>.</summary>
    public string ApiUrl => $"{_server.Url}/api/v4";

    /// <summary>The component's <c>source</c>: the package's URL without the version.</summary>
    public string PackageUrl => $"{ApiUrl}/projects/{ProjectId}/packages/generic/keyless";

    /// <summary>Each request as <c>METHOD path</c>, with <c> (token)</c> when it carried a job token.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<PackageRegistry> StartAsync(string folder)
    {
        PackageRegistry? self = null;
        var server = await LoopbackWebServer.StartAsync("Keyless.EndToEnd.PackageRegistry", 0, context => self!.ServeAsync(context));
        self = new PackageRegistry(server, folder);
        return self;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        var token = context.Request.Headers["JOB-TOKEN"].ToString();
        var path = context.Request.Path.Value ?? "";
        Requests.Enqueue($"{context.Request.Method} {path}{(token.Length > 0 ? " (token)" : "")}");
        // Any project, by ID or URL-encoded path: the component's default source names the project by path.
        const string Package = "/packages/generic/keyless/";
        var at = path.IndexOf(Package, StringComparison.Ordinal);
        var parts = path.StartsWith("/api/v4/projects/", StringComparison.Ordinal) && at > 0 ? path[(at + Package.Length)..].Split('/') : [];
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p.StartsWith('.')))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var file = Path.Combine(Folder, parts[0], parts[1]);
        if (HttpMethods.IsPut(context.Request.Method))
        {
            if (token.Length == 0)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using (var stream = File.Create(file))
            {
                await context.Request.Body.CopyToAsync(stream);
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            return;
        }

        if (!HttpMethods.IsGet(context.Request.Method) || !File.Exists(file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.SendFileAsync(file);
    }
}
