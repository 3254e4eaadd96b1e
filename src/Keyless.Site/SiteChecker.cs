using System.Text;
using AngleSharp.Dom;
using Keyless.Core;

namespace Keyless.Site;

/// <summary>
/// <c>keyless site check</c>: every page parses, every internal reference resolves to a file of the site, no
/// mixed content, titles and languages present, a 404 page, nothing the Content-Security-Policy would block.
/// </summary>
public static class SiteChecker
{
    private static readonly string[] AlwaysThere = ["", "top"];

    /// <summary>The checks follow the policy the site is actually served with.</summary>
    private static readonly ServedCsp Csp = ServedCsp.Served;

    public static SiteCheckReport Check(string root, InputFiles files)
    {
        var site = SiteFolder.Open(root, files);
        var pages = site.Files.Where(SiteFolder.IsHtml).ToDictionary(p => p, p => HtmlPage.Load(site, p), StringComparer.Ordinal);
        var findings = new List<SiteFinding>();

        if (!site.Contains("404.html"))
        {
            findings.Add(new SiteFinding(SiteRules.Missing404, "", null, "the site has no 404.html at its root: a missing page would get CloudFront's bare error; add one"));
        }

        foreach (var page in pages.Values)
        {
            CheckPage(site, pages, page, findings);
        }

        foreach (var css in site.Files.Where(SiteFolder.IsCss))
        {
            CheckStylesheet(site, pages, css, findings);
        }

        var ordered = findings
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ThenBy(f => f.Line ?? 0)
            .ThenBy(f => f.Rule.Id, StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)
            .ToList();
        return new SiteCheckReport(site.Root, [.. pages.Keys], site.Files, ordered);
    }

    private static void CheckPage(SiteFolder site, Dictionary<string, HtmlPage> pages, HtmlPage page, List<SiteFinding> findings)
    {
        foreach (var (line, message) in page.ParseErrors)
        {
            findings.Add(new SiteFinding(SiteRules.ParseError, page.Path, line, message));
        }

        var document = page.Document;
        var html = document.DocumentElement;
        if (string.IsNullOrWhiteSpace(html.GetAttribute("lang")))
        {
            findings.Add(new SiteFinding(SiteRules.MissingLang, page.Path, HtmlPage.LineOf(html), "<html> has no lang attribute: screen readers and translators guess the language; add lang=\"en\" (or the page's language)"));
        }

        if (document.Head?.QuerySelector("title") is not { } title || string.IsNullOrWhiteSpace(title.TextContent))
        {
            findings.Add(new SiteFinding(SiteRules.MissingTitle, page.Path, 1, "the page has no <title> (or an empty one): tabs, bookmarks and search results show the URL instead; add one in <head>"));
        }

        foreach (var element in document.All)
        {
            CheckInlineCode(page.Path, element, findings);
        }

        foreach (var slot in page.Slots())
        {
            var line = HtmlPage.LineOf(slot.Element);
            foreach (var span in slot.Urls)
            {
                var spanLine = slot.IsCss && slot.Attribute is null ? line + CssReferences.LineOf(slot.Value, span.Start) - 1 : line;
                var what = slot.IsCss
                    ? $"url({span.Url}) in {(slot.Attribute is null ? "<style>" : "a style attribute")}"
                    : $"<{slot.Element.LocalName} {slot.Attribute}=\"{span.Url}\">";
                var directive = slot.IsCss ? CssDirective(slot.Value, span.Start) : FetchDirective(slot.Element);
                CheckUrl(site, pages, page.Path, spanLine, what, span.Url, span.Role, directive, findings);
            }
        }
    }

    private static void CheckInlineCode(string path, IElement element, List<SiteFinding> findings)
    {
        var line = HtmlPage.LineOf(element);
        var name = element.LocalName;
        void Blocked(string directive, string what, string fix)
        {
            if (!Csp.Allows(directive, CspSource.Inline))
            {
                findings.Add(new SiteFinding(SiteRules.CspBlocked, path, line, $"{what}: the site's Content-Security-Policy ({Csp.Describe(directive)}) {fix}"));
            }
        }

        if (name == "script" && element.GetAttribute("src") is null && !string.IsNullOrWhiteSpace(element.TextContent) && IsJavaScriptType(element.GetAttribute("type")))
        {
            Blocked("script-src", "an inline <script>", "does not run it; move the code to a .js file and load it with src");
        }

        if (name == "style")
        {
            Blocked("style-src", "a <style> element", "does not apply it; move the rules to the stylesheet");
        }

        if (element.HasAttribute("style"))
        {
            Blocked("style-src", $"<{name} style=\"…\">", "ignores inline styles; use a class in the stylesheet");
        }

        foreach (var attribute in element.Attributes.Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) && a.Name.Length > 2))
        {
            Blocked("script-src", $"<{name} {attribute.Name}=\"…\">", "does not run event-handler attributes; use addEventListener in a .js file");
        }
    }

    /// <summary>The fetch directive a browser checks a subresource of this element against (CSP Level 3 §6.1).</summary>
    private static string FetchDirective(IElement element) => element.LocalName switch
    {
        "script" => "script-src",
        "img" or "input" => "img-src",
        "source" when element.ParentElement?.LocalName is "video" or "audio" => "media-src",
        "source" => "img-src",
        "video" when element.GetAttribute("poster") is not null && element.GetAttribute("src") is null => "img-src",
        "video" or "audio" or "track" => "media-src",
        "iframe" => "frame-src",
        "object" or "embed" => "object-src",
        "meta" => "img-src",
        "link" => LinkDirective(element),
        _ => "default-src",
    };

    private static string LinkDirective(IElement link)
    {
        var rels = (link.GetAttribute("rel") ?? "").ToLowerInvariant().Split([' ', '\t', '\n', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return rels.Contains("stylesheet") ? "style-src"
            : rels.Any(r => r is "icon" or "apple-touch-icon") ? "img-src"
            : rels.Contains("manifest") ? "manifest-src"
            : "default-src";
    }

    /// <summary>A <c>url()</c> inside <c>@font-face</c> fetches a font; elsewhere in CSS, an image.</summary>
    private static string CssDirective(string css, int offset)
    {
        var fontFace = css.LastIndexOf("@font-face", offset, StringComparison.OrdinalIgnoreCase);
        return fontFace >= 0 && css.IndexOf('}', fontFace, offset - fontFace) < 0 ? "font-src" : "img-src";
    }

    private static Uri? OriginOf(string value)
    {
        var url = value.Trim();
        return Uri.TryCreate(url.StartsWith("//", StringComparison.Ordinal) ? "https:" + url : url, UriKind.Absolute, out var origin) ? origin : null;
    }

    private static bool IsJavaScriptType(string? type) =>
        string.IsNullOrWhiteSpace(type)
        || type.Trim().ToLowerInvariant() is "module" or "text/javascript" or "application/javascript" or "text/ecmascript" or "application/ecmascript";

    private static void CheckStylesheet(SiteFolder site, Dictionary<string, HtmlPage> pages, string path, List<SiteFinding> findings)
    {
        var css = Encoding.UTF8.GetString(File.ReadAllBytes(site.FullPath(path)));
        foreach (var reference in CssReferences.Find(css))
        {
            var what = reference.IsImport ? $"@import \"{reference.Url}\"" : $"url({reference.Url})";
            var directive = reference.IsImport ? "style-src" : CssDirective(css, reference.Start);
            CheckUrl(site, pages, path, CssReferences.LineOf(css, reference.Start), what, reference.Url, ReferenceRole.Subresource, directive, findings);
        }
    }

    private static void CheckUrl(SiteFolder site, Dictionary<string, HtmlPage> pages, string from, int line, string what, string value, ReferenceRole role, string directive, List<SiteFinding> findings)
    {
        var url = SiteUrl.Parse(value);
        switch (url.Kind)
        {
            case UrlKind.Http when role == ReferenceRole.Subresource:
                findings.Add(new SiteFinding(SiteRules.MixedContent, from, line, $"{what}: loaded over http:// from an https page, browsers block it; use https:// (or a file of the site)"));
                return;
            case UrlKind.Http when role == ReferenceRole.Navigation:
                findings.Add(new SiteFinding(SiteRules.InsecureLink, from, line, $"{what}: links to http://; use https:// if the target has it"));
                return;
            case UrlKind.OtherOrigin or UrlKind.Data when role == ReferenceRole.Subresource:
                var source = url.Kind == UrlKind.Data ? CspSource.Data : CspSource.OtherOrigin;
                if (!Csp.Allows(directive, source, OriginOf(value)))
                {
                    findings.Add(new SiteFinding(SiteRules.CspBlocked, from, line, $"{what}: the site's Content-Security-Policy ({Csp.Describe(directive)}) blocks {(source == CspSource.Data ? "data: URLs" : "other origins")} here; put the file in the site"));
                }

                return;
            case UrlKind.JavaScript:
                if (!Csp.Allows("script-src", CspSource.Inline))
                {
                    findings.Add(new SiteFinding(SiteRules.CspBlocked, from, line, $"{what}: the site's Content-Security-Policy ({Csp.Describe("script-src")}) does not run javascript: URLs; use a button and addEventListener in a .js file"));
                }

                return;
            case UrlKind.Internal:
                break;
            default:
                return;
        }

        // In a stylesheet, url(#id) names an element of the document using it (SVG filters, masks).
        if (url.Path.Length == 0 && SiteFolder.IsCss(from))
        {
            return;
        }

        var rule = role == ReferenceRole.Navigation ? SiteRules.BrokenLink : SiteRules.MissingAsset;
        var resolved = url.Resolve(from);
        if (resolved is null)
        {
            findings.Add(new SiteFinding(rule, from, line, $"{what}: climbs above the site's root; fix the number of ../"));
            return;
        }

        var target = site.Target(resolved);
        if (target is null)
        {
            var wanted = resolved.Length == 0 || resolved.EndsWith('/') ? resolved + "index.html" : resolved;
            var hint = site.CaseVariant(wanted) is { } variant ? $" (the site has {variant}: URLs are case-sensitive on S3)" : "";
            findings.Add(new SiteFinding(rule, from, line, $"{what}: {wanted} is not in the site{hint}"));
            return;
        }

        if (url.HasFragment && pages.TryGetValue(target, out var page) && !AlwaysThere.Contains(url.FragmentId) && !page.Anchors.Contains(url.FragmentId))
        {
            findings.Add(new SiteFinding(SiteRules.MissingAnchor, from, line, $"{what}: {target} has no element with id=\"{url.FragmentId}\""));
        }
    }
}
