namespace Keyless.Core.Configuration;

/// <summary>An OIDC provider's URL as IAM names it: without its scheme, it is the provider ARN's suffix and the condition-key prefix.</summary>
public static class ProviderUrl
{
    /// <summary>The issuer of GitLab.com's ID tokens.</summary>
    public const string GitLabCom = "https://gitlab.com";

    public static string StripScheme(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? url["https://".Length..]
        : url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? url["http://".Length..]
        : url;
}
