using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Dom.Events;
using AngleSharp.Html.Parser;

namespace Keyless.Site;

/// <summary>How a URL is used: followed by the reader, fetched by the browser, or read by crawlers (og:image).</summary>
internal enum ReferenceRole
{
    Navigation,
    Subresource,
    Metadata,
}

/// <summary>A URL inside a slot's value: its bounds in the value, the URL, and how it is used.</summary>
internal readonly record struct UrlSpan(int Start, int Length, string Url, ReferenceRole Role);

/// <summary>
/// A place in a page that holds URLs: an attribute of an element (<see cref="Attribute"/>), or the text of a
/// <c>&lt;style&gt;</c> element (<see cref="Attribute"/> null). <see cref="Value"/> is the decoded value.
/// </summary>
internal sealed record UrlSlot(IElement Element, string? Attribute, string Value, IReadOnlyList<UrlSpan> Urls, bool IsCss);

/// <summary>A page of the site, parsed with AngleSharp with source positions and parse errors kept.</summary>
internal sealed class HtmlPage
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static readonly string[] NavigationRels = ["canonical", "alternate", "author", "license", "help", "next", "prev", "search", "bookmark", "me", "external"];
    private static readonly string[] FetchedRels = ["stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon", "mask-icon"];
    private static readonly string[] ImageMeta = ["og:image", "og:image:url", "og:image:secure_url", "twitter:image"];

    private HtmlPage(string path, string text, bool hasBom, IHtmlDocument document, List<(int Line, string Message)> errors)
    {
        Path = path;
        Text = text;
        HasBom = hasBom;
        Document = document;
        ParseErrors = errors;
        Anchors = new HashSet<string>(
            document.All.Select(e => e.Id).Concat(document.QuerySelectorAll("a[name]").Select(a => a.GetAttribute("name"))).OfType<string>(),
            StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>The page's text as read (without a byte-order mark), which element positions index.</summary>
    public string Text { get; }

    public bool HasBom { get; }

    public IHtmlDocument Document { get; }

    public IReadOnlyList<(int Line, string Message)> ParseErrors { get; }

    /// <summary>Every fragment the page answers: ids and <c>a[name]</c>.</summary>
    public IReadOnlySet<string> Anchors { get; }

    public static HtmlPage Load(SiteFolder site, string path) => Parse(path, File.ReadAllBytes(site.FullPath(path)));

    public static HtmlPage Parse(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var errors = new List<(int Line, string Message)>();
        var hasBom = bytes.AsSpan().StartsWith(Bom);
        var body = hasBom ? bytes[Bom.Length..] : bytes;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            text = Encoding.UTF8.GetString(body);
            errors.Add((CssReferences.LineOf(text, Math.Min(e.Index, text.Length)), "the file is not valid UTF-8; save it as UTF-8"));
        }

        var parser = new HtmlParser(new HtmlParserOptions { IsKeepingSourceReferences = true });
        parser.Error += (_, e) =>
        {
            if (e is HtmlErrorEvent error)
            {
                errors.Add((error.Position.Line, error.Message.TrimEnd('.')));
            }
        };
        var document = parser.ParseDocument(text);
        return new HtmlPage(path, text, hasBom, document, errors);
    }

    public static int LineOf(IElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.SourceReference?.Position.Line ?? 1;
    }

    /// <summary>Every place of the page that holds URLs, in document order.</summary>
    public IEnumerable<UrlSlot> Slots()
    {
        foreach (var element in Document.All)
        {
            foreach (var slot in SlotsOf(element))
            {
                yield return slot;
            }
        }
    }

    private static IEnumerable<UrlSlot> SlotsOf(IElement element)
    {
        var name = element.NamespaceUri == NamespaceNames.HtmlUri ? element.LocalName : "";
        UrlSlot?[] slots = name switch
        {
            "a" or "area" => [Single(element, "href", ReferenceRole.Navigation)],
            "link" => [Single(element, "href", LinkRole(element))],
            "img" or "source" => [Single(element, "src", ReferenceRole.Subresource), SrcSet(element)],
            "script" or "audio" or "track" or "iframe" or "embed" => [Single(element, "src", ReferenceRole.Subresource)],
            "video" => [Single(element, "src", ReferenceRole.Subresource), Single(element, "poster", ReferenceRole.Subresource)],
            "input" when string.Equals(element.GetAttribute("type"), "image", StringComparison.OrdinalIgnoreCase) => [Single(element, "src", ReferenceRole.Subresource)],
            "object" => [Single(element, "data", ReferenceRole.Subresource)],
            "meta" when ImageMeta.Contains((element.GetAttribute("property") ?? element.GetAttribute("name") ?? "").Trim().ToLowerInvariant()) =>
                [Single(element, "content", ReferenceRole.Metadata)],
            "style" => [Css(element, null, element.TextContent)],
            _ => [],
        };
        var style = element.GetAttribute("style") is { } css ? Css(element, "style", css) : null;
        return slots.Append(style).OfType<UrlSlot>();
    }

    private static ReferenceRole LinkRole(IElement link)
    {
        var rels = (link.GetAttribute("rel") ?? "").ToLowerInvariant().Split([' ', '\t', '\n', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return !rels.Any(FetchedRels.Contains) && rels.Any(NavigationRels.Contains) ? ReferenceRole.Navigation : ReferenceRole.Subresource;
    }

    private static UrlSlot? Single(IElement element, string attribute, ReferenceRole role)
    {
        var value = element.GetAttribute(attribute);
        if (value is null)
        {
            return null;
        }

        var start = 0;
        var end = value.Length;
        while (start < end && IsHtmlWhitespace(value[start]))
        {
            start++;
        }

        while (end > start && IsHtmlWhitespace(value[end - 1]))
        {
            end--;
        }

        return new UrlSlot(element, attribute, value, [new UrlSpan(start, end - start, value[start..end], role)], IsCss: false);
    }

    /// <summary>A srcset's candidates (URL, then descriptors up to a comma), as the HTML standard splits them.</summary>
    private static UrlSlot? SrcSet(IElement element)
    {
        var value = element.GetAttribute("srcset");
        if (value is null)
        {
            return null;
        }

        var spans = new List<UrlSpan>();
        var i = 0;
        while (i < value.Length)
        {
            while (i < value.Length && (IsHtmlWhitespace(value[i]) || value[i] == ','))
            {
                i++;
            }

            if (i >= value.Length)
            {
                break;
            }

            var start = i;
            while (i < value.Length && !IsHtmlWhitespace(value[i]))
            {
                i++;
            }

            var end = i;
            var endsCandidate = false;
            while (end > start && value[end - 1] == ',')
            {
                end--;
                endsCandidate = true;
            }

            spans.Add(new UrlSpan(start, end - start, value[start..end], ReferenceRole.Subresource));
            if (endsCandidate)
            {
                continue;
            }

            var depth = 0;
            while (i < value.Length && (value[i] != ',' || depth > 0))
            {
                depth += value[i] switch
                {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                i++;
            }
        }

        return new UrlSlot(element, "srcset", value, spans, IsCss: false);
    }

    private static UrlSlot Css(IElement element, string? attribute, string css) =>
        new(element, attribute, css, CssReferences.Find(css).Select(r => new UrlSpan(r.Start, r.Length, r.Url, ReferenceRole.Subresource)).ToList(), IsCss: true);

    private static bool IsHtmlWhitespace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';
}
