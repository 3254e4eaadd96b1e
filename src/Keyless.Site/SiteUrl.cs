using System.Text.RegularExpressions;

namespace Keyless.Site;

/// <summary>What a URL found in a page or a stylesheet points at, as far as the site is concerned.</summary>
internal enum UrlKind
{
    /// <summary>Empty: the page itself.</summary>
    Empty,

    /// <summary>Relative or root-relative: a file of the site.</summary>
    Internal,

    /// <summary><c>http://</c>: mixed content on an https site.</summary>
    Http,

    /// <summary>Another origin over https (or <c>//host</c>, ftp, ws…).</summary>
    OtherOrigin,

    /// <summary>A <c>data:</c> URL.</summary>
    Data,

    /// <summary>A <c>javascript:</c> URL.</summary>
    JavaScript,

    /// <summary>Something a browser does not fetch: <c>mailto:</c>, <c>tel:</c>…</summary>
    NotFetched,
}

/// <summary>A URL split the way the checker and the builder need it: kind, path, query, fragment.</summary>
internal sealed partial record SiteUrl(UrlKind Kind, string Path, string Query, string Fragment)
{
    private static readonly char[] HtmlWhitespace = [' ', '\t', '\n', '\f', '\r'];

    public bool HasFragment => Fragment.Length > 0;

    public static SiteUrl Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var url = value.Trim(HtmlWhitespace);
        if (url.Length == 0)
        {
            return new SiteUrl(UrlKind.Empty, "", "", "");
        }

        if (url.StartsWith("//", StringComparison.Ordinal) || url.StartsWith(@"\\", StringComparison.Ordinal))
        {
            return new SiteUrl(UrlKind.OtherOrigin, url, "", "");
        }

        var scheme = Scheme().Match(url);
        if (scheme.Success)
        {
            var kind = scheme.Groups[1].Value.ToUpperInvariant() switch
            {
                "HTTP" => UrlKind.Http,
                "HTTPS" or "FTP" or "WS" or "WSS" or "BLOB" or "FILE" => UrlKind.OtherOrigin,
                "DATA" => UrlKind.Data,
                "JAVASCRIPT" => UrlKind.JavaScript,
                _ => UrlKind.NotFetched,
            };
            return new SiteUrl(kind, url, "", "");
        }

        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? "" : url[hash..];
        var rest = hash < 0 ? url : url[..hash];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var query = question < 0 ? "" : rest[question..];
        var path = question < 0 ? rest : rest[..question];
        return new SiteUrl(UrlKind.Internal, path, query, fragment);
    }

    /// <summary>The fragment's id, percent-decoded, without the <c>#</c>.</summary>
    public string FragmentId => Fragment.Length <= 1 ? "" : Unescape(Fragment[1..]);

    /// <summary>
    /// The site path this internal URL names, resolved against the file it appears in, percent-decoded, with
    /// <c>.</c> and <c>..</c> applied; null when it climbs above the site's root. A path ending in <c>/</c>
    /// (or an empty one: the same page) is returned as is; <see cref="SiteFolder.Target"/> picks the index page.
    /// </summary>
    public string? Resolve(string fromFile)
    {
        ArgumentNullException.ThrowIfNull(fromFile);
        if (Path.Length == 0)
        {
            return fromFile;
        }

        var segments = new List<string>();
        if (!Path.StartsWith('/'))
        {
            var slash = fromFile.LastIndexOf('/');
            if (slash >= 0)
            {
                segments.AddRange(fromFile[..slash].Split('/'));
            }
        }

        var parts = Path.Replace('\\', '/').Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = Unescape(parts[i]);
            var last = i == parts.Length - 1;
            switch (part)
            {
                case "" when !last:
                case ".":
                    break;
                case "..":
                    if (segments.Count == 0)
                    {
                        return null;
                    }

                    segments.RemoveAt(segments.Count - 1);
                    break;
                default:
                    segments.Add(part);
                    break;
            }
        }

        // A path ending in "/", "." or ".." names a folder.
        var lastPart = parts[^1];
        var folder = lastPart is "" or "." or "..";
        var joined = string.Join('/', segments.Where(s => s.Length > 0));
        return folder ? (joined.Length == 0 ? "" : joined + "/") : joined;
    }

    /// <summary>
    /// The same URL text with <paramref name="hash"/> put before the extension of its last path segment:
    /// <c>../css/app.css?v=1#x</c> → <c>../css/app.3f9a1c2b.css?v=1#x</c>. Everything else, percent-encoding
    /// included, stays as written.
    /// </summary>
    public static string WithFingerprint(string url, string hash)
    {
        ArgumentNullException.ThrowIfNull(url);
        var end = url.IndexOfAny(['?', '#']);
        var path = end < 0 ? url : url[..end];
        var rest = end < 0 ? "" : url[end..];
        var slash = path.LastIndexOf('/');
        var dot = path.LastIndexOf('.');
        var name = dot > slash + 1 ? path[..dot] + "." + hash + path[dot..] : path + "." + hash;
        return name + rest;
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex Scheme();
}
