using System.Security.Cryptography;

namespace Keyless.Site;

/// <summary>Content fingerprints: the SHA-256 of a file's bytes, and the name that carries its first hex digits.</summary>
public static class Fingerprint
{
    /// <summary>How many hex digits of the SHA-256 go into a name: 32 bits, per file name.</summary>
    public const int Length = 8;

    /// <summary>Extensions whose files are renamed after their content: stylesheets, scripts, images, fonts.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(
        [".css", ".js", ".mjs", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot"],
        StringComparer.OrdinalIgnoreCase);

    public static string Sha256(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary><c>css/app.css</c> and <c>3f9a1c2b…</c> → <c>css/app.3f9a1c2b.css</c>.</summary>
    public static string Name(string path, string sha256)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(sha256);
        var hash = sha256[..Length];
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        return dot > slash + 1 ? $"{path[..dot]}.{hash}{path[dot..]}" : $"{path}.{hash}";
    }
}
