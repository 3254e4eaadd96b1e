using Amazon.CDK;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Constructs;
using Keyless.Core.Configuration;
using Keyless.Trust;

namespace Keyless.Infrastructure;

/// <summary>Which environment a deploy role is for, whom it trusts and what it may touch.</summary>
public sealed class GitLabDeployRoleProps
{
    /// <summary>The project config: the GitLab instance, project and audience the trust policy pins.</summary>
    public required KeylessConfig Config { get; init; }

    /// <summary>The environment: the refs that may assume the role, and whether they must be protected.</summary>
    public required EnvironmentSettings Environment { get; init; }

    /// <summary>The ARN of the account's IAM OIDC provider for the GitLab instance.</summary>
    public required string ProviderArn { get; init; }

    /// <summary>The environment's site bucket: the role may list it and read, write and delete its objects.</summary>
    public required IBucket Bucket { get; init; }

    /// <summary>The environment's distribution: the role may create and read its invalidations.</summary>
    public required IDistribution Distribution { get; init; }
}

/// <summary>
/// The role one environment's deploy jobs assume with their GitLab ID token. Its trust policy is
/// <see cref="DeployTrustPolicy.Conditions"/>, the same conditions <c>keyless trust check</c> is checked against;
/// its permissions are an inline policy of exactly five actions on this environment's bucket and distribution.
/// </summary>
public sealed class GitLabDeployRole : Construct
{
    /// <summary>The tag that names the role's environment; <c>keyless trust check</c> maps roles to environments by it.</summary>
    public const string EnvironmentTag = "keyless:environment";

    public const string AssumeAction = "sts:AssumeRoleWithWebIdentity";

    public GitLabDeployRole(Construct scope, string id, GitLabDeployRoleProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var (config, environment) = (props.Config, props.Environment);
        var distributionArn = Stack.Of(this).FormatArn(new ArnComponents
        {
            Service = "cloudfront",
            Region = "",
            Resource = "distribution",
            ResourceName = props.Distribution.DistributionId,
        });

        // Written out rather than Bucket.Grant*, which add wildcard actions such as s3:Abort* and s3:GetObject*.
        var permissions = new PolicyDocument(new PolicyDocumentProps
        {
            Statements =
            [
                Allow("ListSite", ["s3:ListBucket"], props.Bucket.BucketArn),
                Allow("WriteSite", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], props.Bucket.ArnForObjects("*")),
                Allow("InvalidateSite", ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"], distributionArn),
            ],
        });

        Role = new Role(this, "Resource", new RoleProps
        {
            AssumedBy = new FederatedPrincipal(props.ProviderArn, ForJsii(DeployTrustPolicy.Conditions(config, environment)), AssumeAction),
            Description = $"Keyless: GitLab CI/CD jobs of {config.GitLab.Project} on {string.Join(", ", environment.Refs)} deploy the {environment.Name} site.",
            MaxSessionDuration = Duration.Hours(1),
            InlinePolicies = new Dictionary<string, PolicyDocument>(StringComparer.Ordinal) { ["KeylessDeploy"] = permissions },
        });
        Tags.Of(Role).Add(EnvironmentTag, environment.Name);
    }

    public Role Role { get; }

    private static PolicyStatement Allow(string sid, string[] actions, string resource) =>
        new(new PolicyStatementProps { Sid = sid, Effect = Effect.ALLOW, Actions = actions, Resources = [resource] });

    // jsii marshals arrays and dictionaries, not List<T>: hand it string[] for the multi-valued conditions.
    private static Dictionary<string, object> ForJsii(Dictionary<string, Dictionary<string, object>> conditions) =>
        conditions.ToDictionary(
            op => op.Key,
            op => (object)op.Value.ToDictionary(key => key.Key, key => key.Value is IEnumerable<string> values ? values.ToArray() : key.Value, StringComparer.Ordinal),
            StringComparer.Ordinal);
}
