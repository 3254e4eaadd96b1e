using System.Text.Json;
using Keyless.Core.Configuration;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust;

/// <summary>
/// The trust policy of an environment's deploy role, built from the project config: only
/// <c>sts:AssumeRoleWithWebIdentity</c>, only the GitLab provider, <c>aud</c> pinned, <c>sub</c> exactly
/// the configured project and refs, and on gitlab.com also <c>project_id</c> (and <c>namespace_id</c>)
/// against namespace recycling and <c>ref_protected</c> for protected refs. The CDK app and the local cloud
/// both use it, and the analyzer checks it against the same config.
/// </summary>
public static class DeployTrustPolicy
{
    /// <summary>The Condition element: operator → key → one value or a list.</summary>
    public static Dictionary<string, Dictionary<string, object>> Conditions(KeylessConfig config, EnvironmentSettings environment)
    {
        var gitlab = config.GitLab;
        var prefix = gitlab.KeyPrefix;
        var equals = new Dictionary<string, object>(StringComparer.Ordinal) { [$"{prefix}:aud"] = gitlab.Audience };
        if (gitlab.IsGitLabCom)
        {
            equals[$"{prefix}:project_id"] = gitlab.ProjectId!;
            if (gitlab.NamespaceId is { } namespaceId)
            {
                equals[$"{prefix}:namespace_id"] = namespaceId;
            }

            if (environment.ProtectedOnly)
            {
                equals[$"{prefix}:ref_protected"] = "true";
            }
        }

        var subjects = environment.Refs.Select(r => $"project_path:{gitlab.Project}:ref_type:{r.Type}:ref:{r.Pattern}").ToList();
        object subValue = subjects.Count == 1 ? subjects[0] : subjects;
        var conditions = new Dictionary<string, Dictionary<string, object>>(StringComparer.Ordinal) { ["StringEquals"] = equals };
        if (environment.Refs.Any(r => r.Pattern.Contains('*', StringComparison.Ordinal)))
        {
            // Exact names never contain * (git forbids it), so StringLike is exact for them as well.
            conditions["StringLike"] = new(StringComparer.Ordinal) { [$"{prefix}:sub"] = subValue };
        }
        else
        {
            equals[$"{prefix}:sub"] = subValue;
        }

        return conditions;
    }

    /// <summary>
    /// The deploy roles the config implies, one per environment (named after it and tagged with it), and the
    /// provider they trust with the configured audience: what the CDK app creates, for the analyzer and the simulator.
    /// </summary>
    public static TrustDocumentSet Roles(KeylessConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var roles = config.Environments
            .Select(environment => new RoleTrust(
                environment.Name,
                config.Source,
                PolicyParser.Parse($"{config.Source} ({environment.Name})", Json(config, environment, ProviderArn(config))),
                TrustDocuments.DefaultMaxSessionDuration,
                environment.Name))
            .ToList();
        return new TrustDocumentSet(config.Source, roles, [new OidcProvider(config.GitLab.Url, [config.GitLab.Audience])]);
    }

    /// <summary>The provider's ARN for an account: <c>arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]</c>.</summary>
    public static string ProviderArn(KeylessConfig config) => new OidcProvider(config.GitLab.Url, []).Arn(config.Aws.Account);

    /// <summary>The whole policy document as JSON, for a given provider ARN.</summary>
    public static string Json(KeylessConfig config, EnvironmentSettings environment, string providerArn) =>
        JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new
                {
                    Sid = $"GitLabDeploy{char.ToUpperInvariant(environment.Name[0])}{environment.Name[1..]}",
                    Effect = "Allow",
                    Principal = new { Federated = providerArn },
                    Action = StsSimulator.AssumeAction,
                    Condition = Conditions(config, environment),
                },
            },
        });
}
