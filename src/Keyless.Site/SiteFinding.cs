
namespace Keyless.Site;

public enum SiteSeverity
{
    Error,
    Warning,
}

/// <summary>One rule of <c>keyless site check</c>: a stable id, a short name and the severity of its findings.</summary>
public sealed record SiteRule(string Id, string Name, SiteSeverity Severity, string Description);

/// <summary>Every rule the site checker applies, in the order docs/site.md lists them.</summary>
public static class SiteRules
{
    public static readonly SiteRule ParseError = new("KS001", "html-parse-error", SiteSeverity.Error, "a page is not well-formed HTML (or not UTF-8): browsers would repair it, each in its own way");
    public static readonly SiteRule BrokenLink = new("KS002", "broken-link", SiteSeverity.Error, "a link to a page or file the site does not have");
    public static readonly SiteRule MissingAsset = new("KS003", "missing-asset", SiteSeverity.Error, "a stylesheet, script, image, font or other subresource the site does not have");
    public static readonly SiteRule MissingAnchor = new("KS004", "missing-anchor", SiteSeverity.Warning, "a #fragment names no id (or a name) on the target page");
    public static readonly SiteRule MixedContent = new("KS005", "mixed-content", SiteSeverity.Error, "a subresource over http:// on an https page: browsers block it");
    public static readonly SiteRule InsecureLink = new("KS006", "insecure-link", SiteSeverity.Warning, "a link that navigates to http://");
    public static readonly SiteRule MissingTitle = new("KS007", "missing-title", SiteSeverity.Error, "a page without a non-empty <title>");
    public static readonly SiteRule MissingLang = new("KS008", "missing-lang", SiteSeverity.Error, "a page whose <html> element has no lang attribute");
    public static readonly SiteRule Missing404 = new("KS009", "missing-404", SiteSeverity.Warning, "the site has no 404.html at its root for CloudFront to serve");
    public static readonly SiteRule CspBlocked = new("KS010", "csp-blocked", SiteSeverity.Warning, "inline script or style, an event-handler attribute, a javascript: URL, or a subresource from another origin or data: that the Content-Security-Policy the site is served with blocks");

    public static IReadOnlyList<SiteRule> All { get; } =
        [ParseError, BrokenLink, MissingAsset, MissingAnchor, MixedContent, InsecureLink, MissingTitle, MissingLang, Missing404, CspBlocked];
}

/// <summary>
/// One problem in a site: which rule, where (<see cref="File"/> is relative to the site's root with <c>/</c>
/// separators, empty for the site as a whole; <see cref="Line"/> is 1-based when known), and what.
/// </summary>
public sealed record SiteFinding(SiteRule Rule, string File, int? Line, string Message)
{
    public SiteSeverity Severity => Rule.Severity;
}
