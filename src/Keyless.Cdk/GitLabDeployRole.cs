using Amazon.CDK;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Constructs;
using Keyless.Core.Configuration;
using Keyless.Stack;
using Keyless.Trust;

namespace Keyless.Cdk;

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
/// its permissions are <see cref="DeployRoleSpec.Permissions"/>: five actions on this environment's bucket and distribution.
/// </summary>
public sealed class GitLabDeployRole : Construct
{
    /// <summary>The tag that names the role's environment; <c>keyless trust check</c> maps roles to environments by it.</summary>
    public const string EnvironmentTag = DeployRoleSpec.EnvironmentTag;

    public const string AssumeAction = DeployRoleSpec.AssumeAction;

    public GitLabDeployRole(Construct scope, string id, GitLabDeployRoleProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var (config, environment) = (props.Config, props.Environment);
        var distributionArn = Amazon.CDK.Stack.Of(this).FormatArn(new ArnComponents
        {
            Service = "cloudfront",
            Region = "",
            Resource = "distribution",
            ResourceName = props.Distribution.DistributionId,
        });

        var permissions = new PolicyDocument(new PolicyDocumentProps
        {
            Statements = [.. DeployRoleSpec.Permissions(props.Bucket.BucketArn, props.Bucket.ArnForObjects("*"), distributionArn).Select(Allow)],
        });

        Role = new Role(this, "Resource", new RoleProps
        {
            AssumedBy = new FederatedPrincipal(props.ProviderArn, ForJsii(DeployTrustPolicy.Conditions(config, environment)), AssumeAction),
            Description = DeployRoleSpec.Description(config, environment),
            MaxSessionDuration = Duration.Seconds(DeployRoleSpec.MaxSessionSeconds),
            InlinePolicies = new Dictionary<string, PolicyDocument>(StringComparer.Ordinal) { [DeployRoleSpec.PolicyName] = permissions },
        });
        Tags.Of(Role).Add(EnvironmentTag, environment.Name);
    }

    public Role Role { get; }

    private static PolicyStatement Allow(AllowStatement<string> permission) =>
        new(new PolicyStatementProps { Sid = permission.Sid, Effect = Effect.ALLOW, Actions = [.. permission.Actions], Resources = [permission.Resource] });

    // jsii marshals arrays and dictionaries, not List<T>: hand it string[] for the multi-valued conditions.
    private static Dictionary<string, object> ForJsii(Dictionary<string, Dictionary<string, object>> conditions) =>
        conditions.ToDictionary(
            op => op.Key,
            op => (object)op.Value.ToDictionary(key => key.Key, key => key.Value is IEnumerable<string> values ? values.ToArray() : key.Value, StringComparer.Ordinal),
            StringComparer.Ordinal);
}
