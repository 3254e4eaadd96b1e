using Keyless.Core.Configuration;

namespace Keyless.Site;

/// <summary>What a page tries to use, as far as a Content-Security-Policy is concerned.</summary>
internal enum CspSource
{
    /// <summary>A file of the site itself.</summary>
    Self,

    /// <summary>A <c>data:</c> URL.</summary>
    Data,

    /// <summary>Another origin.</summary>
    OtherOrigin,

    /// <summary>Inline code: a script or style element, a style or event-handler attribute, a <c>javascript:</c> URL.</summary>
    Inline,
}

/// <summary>
/// A Content-Security-Policy read the way a browser reads it, for what <c>keyless site check</c> meets: each
/// fetch directive falls back to <c>default-src</c>; a source list allows <c>'self'</c>, schemes such as
/// <c>data:</c>, <c>*</c> and hosts, and inline code only through <c>'unsafe-inline'</c>.
/// Source: https://www.w3.org/TR/CSP3/#directive-fallback-list and https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy
/// </summary>
internal sealed class ServedCsp
{
    private readonly Dictionary<string, IReadOnlyList<string>> _directives = new(StringComparer.OrdinalIgnoreCase);

    private ServedCsp(string text)
    {
        foreach (var directive in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tokens = directive.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            // A repeated directive is ignored: the first one counts.
            _directives.TryAdd(tokens[0], tokens[1..]);
        }
    }

    /// <summary>The policy every page of the site is served with (<see cref="SiteDelivery.ContentSecurityPolicy"/>).</summary>
    public static ServedCsp Served { get; } = new(SiteDelivery.ContentSecurityPolicy);

    public static ServedCsp Parse(string text) => new(text);

    /// <summary>
    /// The directive that decides for <paramref name="directive"/> (itself, or <c>default-src</c> when it is not
    /// set) and its source list as written; null when neither is set, so nothing is restricted.
    /// </summary>
    public (string Name, IReadOnlyList<string> Sources)? Governing(string directive) =>
        _directives.TryGetValue(directive, out var sources) ? (directive, sources)
        : _directives.TryGetValue("default-src", out var fallback) ? ("default-src", fallback)
        : null;

    /// <summary>Whether the directive lets a page use <paramref name="source"/> (for another origin: <paramref name="origin"/>).</summary>
    public bool Allows(string directive, CspSource source, Uri? origin = null)
    {
        if (Governing(directive) is not { Sources: var sources })
        {
            return true;
        }

        return source switch
        {
            CspSource.Self => sources.Any(s => s is "'self'" or "*"),
            CspSource.Data => sources.Contains("data:", StringComparer.OrdinalIgnoreCase),
            // A nonce or hash in the list makes browsers ignore 'unsafe-inline'.
            CspSource.Inline => sources.Contains("'unsafe-inline'", StringComparer.OrdinalIgnoreCase)
                && !sources.Any(s => s.StartsWith("'nonce-", StringComparison.OrdinalIgnoreCase) || s.StartsWith("'sha", StringComparison.OrdinalIgnoreCase)),
            CspSource.OtherOrigin => sources.Any(s => MatchesHost(s, origin)),
            _ => false,
        };
    }

    /// <summary>The directive as it would be written, for messages: <c>img-src 'self' data:</c>.</summary>
    public string Describe(string directive) =>
        Governing(directive) is { } governing ? $"{governing.Name} {string.Join(' ', governing.Sources)}".TrimEnd() : "no policy";

    private static bool MatchesHost(string source, Uri? origin)
    {
        if (source == "*")
        {
            return origin is null || origin.Scheme is "http" or "https";
        }

        if (source.StartsWith('\'') || origin is null)
        {
            return false;
        }

        if (source.EndsWith(':'))
        {
            return string.Equals(source.TrimEnd(':'), origin.Scheme, StringComparison.OrdinalIgnoreCase);
        }

        var host = source;
        var scheme = "https";
        if (source.Contains("://", StringComparison.Ordinal))
        {
            scheme = source[..source.IndexOf("://", StringComparison.Ordinal)];
            host = source[(scheme.Length + 3)..];
        }

        host = host.Split('/')[0].Split(':')[0];
        var schemeMatches = string.Equals(scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase)
            || (!source.Contains("://", StringComparison.Ordinal) && origin.Scheme is "http" or "https");
        var hostMatches = host.StartsWith("*.", StringComparison.Ordinal)
            ? origin.Host.EndsWith(host[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, origin.Host, StringComparison.OrdinalIgnoreCase);
        return schemeMatches && hostMatches;
    }
}
