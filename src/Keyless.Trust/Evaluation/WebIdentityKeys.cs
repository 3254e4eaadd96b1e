using Keyless.Core.Configuration;

namespace Keyless.Trust.Evaluation;

/// <summary>
/// Which token claims AWS STS puts into the request context of AssumeRoleWithWebIdentity, as condition keys
/// named <c>&lt;issuer without https://&gt;:&lt;claim&gt;</c>. Every other claim is absent, so a condition on it
/// follows IAM's missing-key rules. This is the one place that decides it.
/// </summary>
public static class WebIdentityKeys
{
    /// <summary>The issuer of GitLab.com's ID tokens; its provider-specific keys exist only for this issuer.</summary>
    public const string GitLabComIssuer = ProviderUrl.GitLabCom;

    /// <summary>The claim that carries session tags; requesting them also needs <c>sts:TagSession</c>.</summary>
    public const string SessionTagsClaim = "https://aws.amazon.com/tags";

    /// <summary>
    /// Claims available for every OIDC provider.
    /// Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
    /// ("Default" tab: aud, sub, amr, email, oaud; the older text also names azp).
    /// </summary>
    public static readonly IReadOnlyList<string> GenericClaims = ["aud", "sub", "amr", "azp", "email", "oaud"];

    /// <summary>
    /// gitlab.com's provider-specific keys (AWS STS, 2026: "validation of select identity provider specific claims").
    /// Sources: https://aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims/ ,
    /// https://docs.gitlab.com/ci/secrets/id_token_authentication/ . Self-managed GitLab and Dedicated get none of them.
    /// runner_environment ("gitlab-hosted" or "self-hosted") is listed, as a String key, by the STS service authorization
    /// reference: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html
    /// (machine-readable: https://servicereference.us-east-1.amazonaws.com/v1/sts/sts.json).
    /// </summary>
    public static readonly IReadOnlyList<string> GitLabComClaims =
        ["namespace_id", "project_id", "user_id", "user_login", "user_email", "user_access_level", "ref_protected", "pipeline_source", "runner_environment"];

    /// <summary>The values GitLab puts in runner_environment. Source: https://docs.gitlab.com/ci/secrets/id_token_authentication/</summary>
    public static readonly IReadOnlyList<string> RunnerEnvironments = ["gitlab-hosted", "self-hosted"];

    /// <summary>amr is the only multivalued web-identity key; the others hold one string.</summary>
    public static bool IsMultiValued(string claim) => claim == "amr";

    /// <summary>The claims that become condition keys for tokens of <paramref name="provider"/>.</summary>
    public static IReadOnlyList<string> ClaimsFor(OidcProvider provider) =>
        provider.HasGitLabComKeys ? [.. GenericClaims, .. GitLabComClaims] : GenericClaims;

    /// <summary>The full condition key for a claim of a provider, e.g. <c>gitlab.com:sub</c>.</summary>
    public static string Key(OidcProvider provider, string claim) => $"{provider.KeyPrefix}:{claim}";

    /// <summary>Splits a condition key into provider prefix and claim when it belongs to <paramref name="provider"/>.</summary>
    public static string? ClaimOf(OidcProvider provider, string conditionKey)
    {
        var prefix = provider.KeyPrefix + ":";
        return conditionKey.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? conditionKey[prefix.Length..] : null;
    }

    /// <summary>Builds the request context for a token issued by <paramref name="provider"/>.</summary>
    public static RequestContext BuildContext(OidcProvider provider, TokenClaims claims, DateTimeOffset now)
    {
        var context = new RequestContext();
        foreach (var claim in ClaimsFor(provider))
        {
            var values = claims.Values(claim);
            if (values is null || values.Count == 0)
            {
                continue;
            }

            if (IsMultiValued(claim))
            {
                context.SetMany(Key(provider, claim), values);
            }
            else if (values.Count == 1)
            {
                context.Set(Key(provider, claim), values[0]);
            }
            else if (claim == "aud")
            {
                // A token for several audiences: the one that matched the provider's client-ID list is used.
                var matched = values.FirstOrDefault(v => provider.ClientIds.Contains(v, StringComparer.Ordinal));
                if (matched is not null)
                {
                    context.Set(Key(provider, claim), matched);
                }
            }
        }

        // Global keys present in every request. Source: reference_policies_condition-keys.html
        context.Set("aws:CurrentTime", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        context.Set("aws:EpochTime", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Set("aws:SecureTransport", "true");
        return context;
    }
}
