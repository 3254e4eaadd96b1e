namespace Keyless.Identity;

/// <summary>How a JWKS is found.</summary>
public enum JwksLocationKind
{
    /// <summary>Through the issuer's <c>/.well-known/openid-configuration</c> and its <c>jwks_uri</c>, as AWS does.</summary>
    Discovery,

    /// <summary>A JWKS URL given directly.</summary>
    Url,

    /// <summary>A JWKS file (for offline checks against a saved copy).</summary>
    File,
}

/// <summary>Where to get the keys that verify an issuer's tokens.</summary>
public sealed record JwksLocation(JwksLocationKind Kind, string Value)
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    /// <summary>The issuer's discovery document, then its jwks_uri.</summary>
    public static JwksLocation Discover(string issuer) => new(JwksLocationKind.Discovery, issuer);

    public static JwksLocation FromUrl(string url) => new(JwksLocationKind.Url, url);

    public static JwksLocation FromFile(string path) => new(JwksLocationKind.File, path);

    /// <summary>An <c>http://</c> or <c>https://</c> value is a URL; anything else is a file path.</summary>
    public static JwksLocation Parse(string fileOrUrl) =>
        fileOrUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || fileOrUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(fileOrUrl)
            : FromFile(fileOrUrl);

    /// <summary>The discovery document's URL: the issuer without a trailing slash, then the well-known path (OpenID Connect Discovery 1.0 §4).</summary>
    public static string DiscoveryUrl(string issuer) => issuer.TrimEnd('/') + DiscoveryPath;

    public override string ToString() => Kind switch
    {
        JwksLocationKind.Discovery => $"the discovery document {DiscoveryUrl(Value)}",
        JwksLocationKind.Url => $"the JWKS URL {Value}",
        _ => $"the JWKS file {Value}",
    };
}
