using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using Keyless.Local.Cloud;
using Microsoft.AspNetCore.Http;

namespace Keyless.EndToEnd;

/// <summary>
/// A loopback stand-in for a GitLab project's package registry (any project, by ID or URL-encoded path), every
/// request recorded:
/// <list type="bullet">
/// <item>generic package <c>keyless</c>: files uploaded with <c>PUT …/projects/ID-OR-PATH/packages/generic/keyless/VERSION/FILE</c>
/// (a <c>JOB-TOKEN</c> header required, as GitLab requires a token) and downloaded with <c>GET</c> of the same URL;</item>
/// <item>NuGet: a package uploaded as the multipart form <c>.ci/publish</c> sends to <c>PUT …/packages/nuget/</c> (basic
/// authentication required), served as a NuGet V3 feed at <c>…/packages/nuget/index.json</c> with the two resources
/// <c>dotnet tool install</c> and restore read (https://learn.microsoft.com/nuget/api/overview): the registration
/// of a package's versions and the package content.</item>
/// </list>
/// The feed is http, which NuGet takes only from a source marked <c>allowInsecureConnections</c> in a nuget.config
/// (<see cref="NuGetConfig"/>); GitLab's is https.
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

    /// <summary>The NuGet feed of a project, as a job of that instance would name it.</summary>
    public string NuGetFeed(string project) => $"{ApiUrl}/projects/{Uri.EscapeDataString(project)}/packages/nuget/index.json";

    /// <summary>A nuget.config that lets NuGet read <paramref name="feed"/> over http.</summary>
    public static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="registry" value="{feed}" allowInsecureConnections="true" />
          </packageSources>
        </configuration>

        """;

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
        var token = context.Request.Headers["JOB-TOKEN"].ToString() is { Length: > 0 } header ? header : context.Request.Headers.Authorization.ToString();
        var path = context.Request.Path.Value ?? "";
        Requests.Enqueue($"{context.Request.Method} {path}{(token.Length > 0 ? " (token)" : "")}");
        const string NuGet = "/packages/nuget";
        if (path.StartsWith("/api/v4/projects/", StringComparison.Ordinal) && path.IndexOf(NuGet + "/", StringComparison.Ordinal) is var nuget and > 0)
        {
            await ServeNuGetAsync(context, $"{_server.Url}{path[..(nuget + NuGet.Length)]}", path[(nuget + NuGet.Length + 1)..], token);
            return;
        }

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

    private async Task ServeNuGetAsync(HttpContext context, string feed, string rest, string token)
    {
        var packages = Path.Combine(Folder, "nuget");
        if (HttpMethods.IsPut(context.Request.Method) && rest.Length == 0)
        {
            if (!token.StartsWith("Basic ", StringComparison.Ordinal) || !context.Request.HasFormContentType)
            {
                context.Response.StatusCode = token.Length == 0 ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;
                return;
            }

            var form = await context.Request.ReadFormAsync();
            var upload = Path.Combine(Directory.CreateDirectory(packages).FullName, $"upload-{Guid.NewGuid():N}");
            await using (var stream = File.Create(upload))
            {
                await form.Files["package"]!.CopyToAsync(stream);
            }

            var (id, version) = Identity(upload);
            File.Move(upload, Path.Combine(packages, $"{id}.{version}.nupkg".ToLowerInvariant()), overwrite: true);
            context.Response.StatusCode = StatusCodes.Status201Created;
            return;
        }

        var parts = rest.Split('/');
        object? document = parts switch
        {
            ["index.json"] => new
            {
                version = "3.0.0",
                resources = new object[]
                {
                    new Dictionary<string, string> { ["@id"] = $"{feed}/download/", ["@type"] = "PackageBaseAddress/3.0.0" },
                    new Dictionary<string, string> { ["@id"] = $"{feed}/metadata/", ["@type"] = "RegistrationsBaseUrl/3.6.0" },
                },
            },
            ["download", var id, "index.json"] => new { versions = Versions(packages, id).Select(v => v.Version).ToArray() },
            ["metadata", var id, "index.json"] when Versions(packages, id) is { Count: > 0 } versions => Registration(feed, id, versions),
            _ => null,
        };
        if (HttpMethods.IsGet(context.Request.Method) && document is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(document));
            return;
        }

        var file = parts is ["download", var name, var packageVersion, var fileName] && fileName == $"{name}.{packageVersion}.nupkg" && !fileName.StartsWith('.')
            ? Path.Combine(packages, fileName)
            : null;
        if (!HttpMethods.IsGet(context.Request.Method) || file is null || !File.Exists(file))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.SendFileAsync(file);
    }

    private static Dictionary<string, object> Registration(string feed, string id, List<(string Id, string Version)> versions) => new()
    {
        ["count"] = 1,
        ["items"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["@id"] = $"{feed}/metadata/{id}/index.json#page",
                ["lower"] = versions[0].Version,
                ["upper"] = versions[^1].Version,
                ["count"] = versions.Count,
                ["items"] = versions.Select(v => new Dictionary<string, object>
                {
                    ["@id"] = $"{feed}/metadata/{id}/{v.Version}.json",
                    ["packageContent"] = $"{feed}/download/{id}/{v.Version}/{id}.{v.Version}.nupkg",
                    ["catalogEntry"] = new Dictionary<string, object> { ["@id"] = $"{feed}/metadata/{id}/{v.Version}.json", ["id"] = v.Id, ["version"] = v.Version, ["listed"] = true },
                }).ToArray(),
            },
        },
    };

    /// <summary>The versions of package <paramref name="id"/> (lower case) uploaded so far, lower case as NuGet's URLs have them.</summary>
    private static List<(string Id, string Version)> Versions(string packages, string id) =>
        !Directory.Exists(packages) ? []
        : [.. Directory.GetFiles(packages, "*.nupkg").Select(Identity).Where(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase)).Select(p => (p.Id, p.Version.ToLowerInvariant())).Order()];

    private static (string Id, string Version) Identity(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        return (metadata.Elements().Single(e => e.Name.LocalName == "id").Value, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
    }
}
