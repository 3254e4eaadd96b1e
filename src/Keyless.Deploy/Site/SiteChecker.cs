using System.Text;
using AngleSharp.Dom;

namespace Keyless.Deploy.Site;

/// <summary>
/// <c>keyless site check</c>: every page parses, every internal reference resolves to a file of the site, no
/// mixed content, titles and languages present, a 404 page, nothing the Content-Security-Policy would block.
/// </summary>
public static class SiteChecker
{
    private static readonly string[] AlwaysThere = ["", "top"];

    public static SiteCheckReport Check(string root)
    {
        var site = SiteFolder.Open(root);
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
                CheckUrl(site, pages, page.Path, spanLine, what, span.Url, span.Role, findings);
            }
        }
    }

    private static void CheckInlineCode(string path, IElement element, List<SiteFinding> findings)
    {
        var line = HtmlPage.LineOf(element);
        var name = element.LocalName;
        if (name == "script" && element.GetAttribute("src") is null && !string.IsNullOrWhiteSpace(element.TextContent) && IsJavaScriptType(element.GetAttribute("type")))
        {
            findings.Add(new SiteFinding(SiteRules.CspBlocked, path, line, "an inline <script>: default-src 'self' does not run it; move the code to a .js file and load it with src"));
        }

        if (name == "style")
        {
            findings.Add(new SiteFinding(SiteRules.CspBlocked, path, line, "a <style> element: default-src 'self' does not apply it; move the rules to the stylesheet"));
        }

        if (element.HasAttribute("style"))
        {
            findings.Add(new SiteFinding(SiteRules.CspBlocked, path, line, $"<{name} style=\"…\">: default-src 'self' ignores inline styles; use a class in the stylesheet"));
        }

        foreach (var attribute in element.Attributes.Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) && a.Name.Length > 2))
        {
            findings.Add(new SiteFinding(SiteRules.CspBlocked, path, line, $"<{name} {attribute.Name}=\"…\">: default-src 'self' does not run event-handler attributes; use addEventListener in a .js file"));
        }
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
            CheckUrl(site, pages, path, CssReferences.LineOf(css, reference.Start), what, reference.Url, ReferenceRole.Subresource, findings);
        }
    }

    private static void CheckUrl(SiteFolder site, Dictionary<string, HtmlPage> pages, string from, int line, string what, string value, ReferenceRole role, List<SiteFinding> findings)
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
                findings.Add(new SiteFinding(SiteRules.CspBlocked, from, line, $"{what}: default-src 'self' blocks {(url.Kind == UrlKind.Data ? "data: URLs" : "other origins")}; put the file in the site"));
                return;
            case UrlKind.JavaScript:
                findings.Add(new SiteFinding(SiteRules.CspBlocked, from, line, $"{what}: default-src 'self' does not run javascript: URLs; use a button and addEventListener in a .js file"));
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
