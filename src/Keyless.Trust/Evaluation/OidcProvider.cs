using Keyless.Core.Configuration;

namespace Keyless.Trust.Evaluation;

/// <summary>An IAM OIDC identity provider of the account: its URL and client-ID (audience) list.</summary>
public sealed record OidcProvider(string Url, IReadOnlyList<string> ClientIds)
{
    /// <summary>
    /// Whether AWS exposes gitlab.com's provider-specific claims (project_id, ref_protected, …) for this
    /// provider: true for <c>https://gitlab.com</c>; the local cloud also sets it for its GitLab-shaped
    /// issuer that stands in for gitlab.com, so pins on those keys are exercised locally.
    /// </summary>
    public bool HasGitLabComKeys { get; init; } = string.Equals(Url, WebIdentityKeys.GitLabComIssuer, StringComparison.Ordinal);

    /// <summary>The URL without its scheme: the provider ARN's resource part and the condition-key prefix.</summary>
    public string KeyPrefix => ProviderUrl.StripScheme(Url);

    public string Arn(string account) => $"arn:aws:iam::{account}:oidc-provider/{KeyPrefix}";

    /// <summary>What IAM would object to in this URL (https only, no port, no query); null when none.</summary>
    public string? UrlObjection()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri))
        {
            return $"\"{Url}\" is not an absolute URL";
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"\"{Url}\" does not begin with https:// (IAM refuses such a provider URL; the local issuer serves plain http on loopback, which only the local cloud accepts)";
        }

        if (!uri.IsDefaultPort)
        {
            return $"\"{Url}\" names a port; IAM provider URLs should not contain one";
        }

        return uri.Query.Length > 0 ? $"\"{Url}\" has a query string; IAM provider URLs may have a path but no query" : null;
    }

    /// <summary>Reads the account and URL back from an <c>arn:aws:iam::ACCOUNT:oidc-provider/URL</c> ARN.</summary>
    public static (string Account, string KeyPrefix)? ParseArn(string arn)
    {
        const string marker = ":oidc-provider/";
        var at = arn.IndexOf(marker, StringComparison.Ordinal);
        if (!arn.StartsWith("arn:", StringComparison.Ordinal) || at < 0)
        {
            return null;
        }

        var head = arn[..at].Split(':');
        return head.Length == 5 ? (head[4], arn[(at + marker.Length)..]) : null;
    }
}
