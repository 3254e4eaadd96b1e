using Microsoft.AspNetCore.StaticFiles;

namespace Keyless.Deploy.Publishing;

/// <summary>
/// The Content-Type a file is served with: ASP.NET Core's extension map (the same on every machine, unlike
/// the OS registry the AWS CLI consults), a few web types it lacks, and <c>; charset=utf-8</c> on text.
/// </summary>
public static class ContentTypes
{
    public const string Fallback = "application/octet-stream";

    private static readonly FileExtensionContentTypeProvider Provider = Create();

    public static string For(string path)
    {
        var type = Provider.TryGetContentType(path, out var found) ? found : Fallback;
        return IsText(type) ? type + "; charset=utf-8" : type;
    }

    /// <summary>Types whose bytes are text: browsers need the charset, or they guess.</summary>
    public static bool IsText(string type) =>
        type.StartsWith("text/", StringComparison.Ordinal)
        || type.EndsWith("+json", StringComparison.Ordinal)
        || type.EndsWith("+xml", StringComparison.Ordinal)
        || type is "application/javascript" or "application/json" or "application/xml";

    private static FileExtensionContentTypeProvider Create()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".map"] = "application/json";
        provider.Mappings[".mjs"] = "text/javascript";
        provider.Mappings[".webmanifest"] = "application/manifest+json";
        provider.Mappings[".avif"] = "image/avif";
        provider.Mappings[".wasm"] = "application/wasm";
        provider.Mappings[".woff2"] = "font/woff2";
        provider.Mappings[".woff"] = "font/woff";
        return provider;
    }
}
