namespace Keyless.Core.Configuration;

/// <summary>The GitLab side: the instance, the project and the audience of its ID tokens.</summary>
public sealed record GitLabSettings(string Url, string Project, string? ProjectId, string? NamespaceId, string DefaultBranch, string Audience)
{
    public bool IsGitLabCom => string.Equals(Url, ProviderUrl.GitLabCom, StringComparison.Ordinal);

    /// <summary>The provider host and path: the provider ARN's suffix and the condition-key prefix.</summary>
    public string KeyPrefix => ProviderUrl.StripScheme(Url);
}

public sealed record AwsSettings(string Account, string Region);

/// <summary>A Cache-Control rule of <c>site.cacheControl</c>: files matching the glob get the value (first match wins).</summary>
public sealed record CacheControlRule(string Files, string Value);

public sealed record SiteSettings(string Source, string Output, IReadOnlyList<CacheControlRule>? CacheControl = null)
{
    /// <summary>The rules before the defaults (immutable for fingerprinted files, no-cache for entry points).</summary>
    public IReadOnlyList<CacheControlRule> CacheRules => CacheControl ?? [];
}

/// <summary>
/// One deploy target: which refs may deploy to it, and its bucket and distribution. <paramref name="Prefix"/>
/// is the key prefix the site lives under in the bucket (none: the bucket's root).
/// </summary>
public sealed record EnvironmentSettings(
    string Name,
    IReadOnlyList<ExpectedRef> Refs,
    bool ProtectedOnly,
    bool Manual,
    string? Bucket,
    string? Url,
    string PriceClass,
    IReadOnlyList<string> DomainNames,
    string? CertificateArn,
    string? CertificateThumbprint = null,
    string? Distribution = null,
    string? Prefix = null);

/// <summary>
/// The project config, <c>keyless.json</c>: read by the CDK app, the CLI and the pipeline alike, so that
/// trust policies, deploy targets and jobs cannot drift apart. Its JSON schema is <c>keyless.schema.json</c>.
/// </summary>
public sealed record KeylessConfig(
    string Source,
    GitLabSettings GitLab,
    AwsSettings Aws,
    SiteSettings Site,
    IReadOnlyList<EnvironmentSettings> Environments,
    IReadOnlyList<string> Thumbprints)
{
    public const string FileName = "keyless.json";

    public EnvironmentSettings Environment(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))
        ?? throw KeylessException.Input($"--env {name}: {Source} has no such environment; it has {string.Join(", ", Environments.Select(e => e.Name))}.");
}
