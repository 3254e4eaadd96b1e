namespace Keyless.Deploy.Publishing;

/// <summary>
/// The Content-Type a file is served with, from its extension: the types a static website serves, the same on
/// every machine (unlike the OS registry the AWS CLI consults), and <c>; charset=utf-8</c> on text. Where the IANA
/// registry has a standard type, it is used rather than a legacy alias (<c>font/ttf</c>, not <c>application/x-font-ttf</c>).
/// Anything else is <see cref="Fallback"/>, which browsers download rather than render.
/// </summary>
public static class ContentTypes
{
    public const string Fallback = "application/octet-stream";

    internal static readonly IReadOnlyDictionary<string, string> ByExtension = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        // Pages, styles, scripts and data
        [".html"] = "text/html",
        [".htm"] = "text/html",
        [".xhtml"] = "application/xhtml+xml",
        [".css"] = "text/css",
        [".js"] = "text/javascript",
        [".mjs"] = "text/javascript",
        [".json"] = "application/json",
        [".map"] = "application/json",
        [".jsonld"] = "application/ld+json",
        [".webmanifest"] = "application/manifest+json",
        [".xml"] = "text/xml",
        [".xsl"] = "text/xml",
        [".rss"] = "application/rss+xml",
        [".atom"] = "application/atom+xml",
        [".txt"] = "text/plain",
        [".csv"] = "text/csv",
        [".md"] = "text/markdown",
        [".ics"] = "text/calendar",
        [".vtt"] = "text/vtt",
        [".wasm"] = "application/wasm",

        // Images
        [".svg"] = "image/svg+xml",
        [".svgz"] = "image/svg+xml",
        [".png"] = "image/png",
        [".apng"] = "image/apng",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".avif"] = "image/avif",
        [".ico"] = "image/x-icon",
        [".bmp"] = "image/bmp",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",

        // Fonts
        [".woff"] = "font/woff",
        [".woff2"] = "font/woff2",
        [".ttf"] = "font/ttf",
        [".otf"] = "font/otf",
        [".eot"] = "application/vnd.ms-fontobject",

        // Audio and video
        [".mp4"] = "video/mp4",
        [".m4v"] = "video/mp4",
        [".webm"] = "video/webm",
        [".ogv"] = "video/ogg",
        [".mov"] = "video/quicktime",
        [".mp3"] = "audio/mpeg",
        [".m4a"] = "audio/mp4",
        [".aac"] = "audio/aac",
        [".oga"] = "audio/ogg",
        [".ogg"] = "audio/ogg",
        [".opus"] = "audio/ogg",
        [".wav"] = "audio/wav",
        [".flac"] = "audio/flac",

        // Documents and downloads
        [".pdf"] = "application/pdf",
        [".rtf"] = "application/rtf",
        [".epub"] = "application/epub+zip",
        [".doc"] = "application/msword",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".xls"] = "application/vnd.ms-excel",
        [".xlsx"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [".ppt"] = "application/vnd.ms-powerpoint",
        [".pptx"] = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        [".odt"] = "application/vnd.oasis.opendocument.text",
        [".zip"] = "application/zip",
        [".gz"] = "application/gzip",
        [".tar"] = "application/x-tar",
        [".jar"] = "application/java-archive",
    };

    public static string For(string path)
    {
        var type = ByExtension.GetValueOrDefault(Path.GetExtension(path), Fallback);
        return IsText(type) ? type + "; charset=utf-8" : type;
    }

    /// <summary>Types whose bytes are text: browsers need the charset, or they guess.</summary>
    public static bool IsText(string type) =>
        type.StartsWith("text/", StringComparison.Ordinal)
        || type.EndsWith("+json", StringComparison.Ordinal)
        || type.EndsWith("+xml", StringComparison.Ordinal)
        || type is "application/javascript" or "application/json" or "application/xml";
}
