using Keyless.Core.Findings;

namespace Keyless.Site;

/// <summary>Every rule the site checker applies, in the order docs/site.md lists them.</summary>
public static class SiteRules
{
    public static readonly Rule ParseError = new("KS001", "html-parse-error", Severity.Error, "a page is not well-formed HTML (or not UTF-8): browsers would repair it, each in its own way");
    public static readonly Rule BrokenLink = new("KS002", "broken-link", Severity.Error, "a link to a page or file the site does not have");
    public static readonly Rule MissingAsset = new("KS003", "missing-asset", Severity.Error, "a stylesheet, script, image, font or other subresource the site does not have");
    public static readonly Rule MissingAnchor = new("KS004", "missing-anchor", Severity.Warning, "a #fragment names no id (or a name) on the target page");
    public static readonly Rule MixedContent = new("KS005", "mixed-content", Severity.Error, "a subresource over http:// on an https page: browsers block it");
    public static readonly Rule InsecureLink = new("KS006", "insecure-link", Severity.Warning, "a link that navigates to http://");
    public static readonly Rule MissingTitle = new("KS007", "missing-title", Severity.Error, "a page without a non-empty <title>");
    public static readonly Rule MissingLang = new("KS008", "missing-lang", Severity.Error, "a page whose <html> element has no lang attribute");
    public static readonly Rule Missing404 = new("KS009", "missing-404", Severity.Warning, "the site has no 404.html at its root for CloudFront to serve");
    public static readonly Rule CspBlocked = new("KS010", "csp-blocked", Severity.Warning, "inline script or style, an event-handler attribute, a javascript: URL, or a subresource from another origin or data: that the Content-Security-Policy the site is served with blocks");

    public static IReadOnlyList<Rule> All { get; } =
        [ParseError, BrokenLink, MissingAsset, MissingAnchor, MixedContent, InsecureLink, MissingTitle, MissingLang, Missing404, CspBlocked];
}

/// <summary>
/// One problem in a site: which rule, where (<see cref="File"/> is relative to the site's root with <c>/</c>
/// separators, empty for the site as a whole; <see cref="Line"/> is 1-based when known), and what.
/// </summary>
public sealed record SiteFinding(Rule Rule, string File, int? Line, string Message)
{
    public Severity Severity => Rule.Severity;
}
