using System.Security.Cryptography;
using System.Text;
using Keyless.Deploy.Tests.Support;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>
/// Three releases of a small site (about 15 files: pages, fingerprinted CSS/JS/images, unhashed entry points)
/// whose pages reference their assets. From r0 to r1 an asset is dropped; from r1 to r2 a script, two pages,
/// robots.txt and the logo change, a post is added and another one (with its image) removed. With the default
/// retention, deploying r2 deletes what only r0 needed.
/// </summary>
internal static class ReliabilitySite
{
    /// <summary>Release r<paramref name="version"/> (0–2), with <paramref name="extra"/> more documentation pages, each with a script of its own; r2 changes every fifth.</summary>
    public static SiteFolder Version(int version, int extra = 0)
    {
        var site = SiteFolder.Empty();
        var css = Asset(site, "assets/app", "css", "body { font: 16px/1.5 system-ui; } .hero { max-width: 60rem; }");
        var vendor = Asset(site, "assets/vendor", "js", "window.vendor = { version: '1.2.3' };");
        var script = Asset(site, "assets/app", "js", version < 2 ? "console.log('app v1');" : "console.log('app v2'); document.documentElement.dataset.ready = '1';");
        var hero = Asset(site, "images/hero", "jpg", "\u00ff\u00d8\u00ff JPEG hero " + new string('x', 600));
        var legacy = version == 0 ? Asset(site, "assets/legacy", "js", "console.log('legacy, r0 only');") : null;
        var chart = version < 2 ? Asset(site, "images/chart", "svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"10\" height=\"10\"/></svg>") : null;
        var posts = version < 2 ? new[] { "post-1", "post-2" } : ["post-1", "post-3"];

        site.With("index.html", Page($"Home {(version < 2 ? "v1" : "v2")}", css, [script], ["/images/logo.png", hero], ["/about/", "/blog/"]))
            .With("about/index.html", Page("About", css, legacy is null ? [] : [legacy], [], ["/"]))
            .With("blog/index.html", Page($"Blog ({posts.Length} posts, r{Math.Min(version, 2)})", css, [], [], [.. posts.Select(p => $"/blog/{p}/")]))
            .With("blog/post-1/index.html", Page("Post 1", css, [vendor], [], ["/blog/"]))
            .With("404.html", Page("Not found", css, [], [], ["/"]))
            .With("images/logo.png", version < 2 ? "\u0089PNG logo v1" : "\u0089PNG logo v2 with a new mark")
            .With("robots.txt", version < 2 ? "User-agent: *\nAllow: /\n" : "User-agent: *\nAllow: /\nSitemap: https://example.test/sitemap.xml\n")
            .With("sitemap.xml", "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://example.test/</loc></url></urlset>")
            .With("favicon.ico", "\u0000\u0000\u0001\u0000 icon");
        if (chart is not null)
        {
            site.With("blog/post-2/index.html", Page("Post 2", css, [], [chart], ["/blog/"]));
        }
        else
        {
            site.With("blog/post-3/index.html", Page("Post 3", css, [vendor], [hero], ["/blog/"]));
        }

        for (var i = 0; i < extra; i++)
        {
            var changed = version == 2 && i % 5 == 0;
            var chunk = Asset(site, $"assets/chunk-{i}", "js", $"export const page = {i}; // {(changed ? "v2" : "v1")} " + new string('/', 40 * (i % 7)));
            site.With($"docs/page-{i}/index.html", Page($"Docs page {i}{(changed ? " (updated)" : "")}", css, [chunk], i % 3 == 0 ? [hero] : [], ["/", $"/docs/page-{(i + 1) % extra}/"]));
        }

        return site;
    }

    /// <summary>Writes a fingerprinted asset (<c>name.&lt;8 hex&gt;.ext</c>) and returns its URL path.</summary>
    private static string Asset(SiteFolder site, string stem, string extension, string content)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..8];
        var hex = hash.Any(char.IsAsciiDigit) ? hash : "0" + hash[1..];
        var path = $"{stem}.{hex}.{extension}";
        site.With(path, content);
        return "/" + path;
    }

    private static string Page(string title, string css, string[] scripts, string[] images, string[] links)
    {
        var html = new StringBuilder()
            .Append("<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>").Append(title).Append("</title>")
            .Append("<link rel=stylesheet href=\"").Append(css).Append("\"><link rel=icon href=\"/favicon.ico\">");
        foreach (var script in scripts)
        {
            html.Append("<script defer src=\"").Append(script).Append("\"></script>");
        }

        html.Append("</head><body><h1>").Append(title).Append("</h1>");
        foreach (var image in images)
        {
            html.Append("<img alt=\"\" src=\"").Append(image).Append("\">");
        }

        foreach (var link in links)
        {
            html.Append("<a href=\"").Append(link).Append("\">").Append(link).Append("</a>");
        }

        return html.Append("</body></html>\n").ToString();
    }
}
