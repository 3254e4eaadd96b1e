namespace Keyless.Core.Configuration;

/// <summary>
/// How a site is served at the edge, in one place for the CDK distribution and the local cloud's CloudFront
/// stand-in: the security headers, the pages for the root and for missing keys, the folder-index rule.
/// </summary>
public static class SiteDelivery
{
    public const string DefaultRootObject = "index.html";

    public const string NotFoundPage = "/404.html";

    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public const int HstsMaxAgeSeconds = 730 * 24 * 3600;

    /// <summary>The response headers every page carries (CloudFront's response headers policy).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> SecurityHeaders { get; } =
    [
        new("Strict-Transport-Security", $"max-age={HstsMaxAgeSeconds}; includeSubDomains; preload"),
        new("Content-Security-Policy", ContentSecurityPolicy),
        new("X-Content-Type-Options", "nosniff"),
        new("X-Frame-Options", "DENY"),
        new("Referrer-Policy", "strict-origin-when-cross-origin"),
    ];

    /// <summary>The deployer's own records (release history, page copies for rollback) are never served.</summary>
    public const string PrivatePrefix = "/.keyless/";

    public static bool IsPrivate(string uri) => uri.StartsWith(PrivatePrefix, StringComparison.Ordinal);

    /// <summary>
    /// Folder URLs get their index page: <c>/docs/</c> and <c>/docs</c> → <c>/docs/index.html</c>; a last
    /// segment with a dot is a file and stays. The CloudFront Function of the CDK app does the same.
    /// </summary>
    public static string RewriteFolderUri(string uri)
    {
        if (uri.EndsWith('/'))
        {
            return uri + DefaultRootObject;
        }

        var last = uri[(uri.LastIndexOf('/') + 1)..];
        return last.Contains('.', StringComparison.Ordinal) ? uri : uri + "/" + DefaultRootObject;
    }
}
