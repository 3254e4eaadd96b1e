using Amazon.CDK;
using Amazon.CDK.AWS.CloudFront;
using Constructs;
using Keyless.Core.Configuration;
using Keyless.Stack;

namespace Keyless.Cdk;

/// <summary>What the stack is built from: the project config, and an OIDC provider the account already has.</summary>
public sealed class KeylessStackProps
{
    public required KeylessConfig Config { get; init; }

    /// <summary>The ARN of the account's existing provider for the GitLab instance; null creates one.</summary>
    public string? ExistingOidcProviderArn { get; init; }

    /// <summary>The CloudFormation stack name; <see cref="StackNames.Stack"/> of the project when null.</summary>
    public string? StackName { get; init; }
}

/// <summary>One environment's resources in the stack.</summary>
public sealed record EnvironmentResources(EnvironmentSettings Settings, StaticSite Site, GitLabDeployRole Role);

/// <summary>
/// Everything one project needs in its AWS account: the GitLab OIDC provider, and per environment a static
/// site and the role its deploy jobs assume. Outputs per environment <c>&lt;Env&gt;RoleArn</c>,
/// <c>&lt;Env&gt;BucketName</c>, <c>&lt;Env&gt;DistributionId</c> and <c>&lt;Env&gt;Url</c>, plus <c>OidcProviderArn</c>.
/// </summary>
public sealed class KeylessStack : Amazon.CDK.Stack
{
    public KeylessStack(Construct scope, string id, KeylessStackProps props)
        : base(scope, id, new StackProps
        {
            StackName = props.StackName ?? StackNames.Stack(props.Config.GitLab.Project),
            Env = new Amazon.CDK.Environment { Account = props.Config.Aws.Account, Region = props.Config.Aws.Region },
            Description = StackSpec.Description(props.Config),
        })
    {
        var config = props.Config;
        Provider = new GitLabOidcProvider(this, "GitLabOidcProvider", new GitLabOidcProviderProps
        {
            Url = config.GitLab.Url,
            Audience = config.GitLab.Audience,
            Thumbprints = config.Thumbprints,
            ExistingProviderArn = props.ExistingOidcProviderArn,
        });
        Output(StackSpec.ProviderArnOutput, Provider.Arn, StackSpec.ProviderArnDescription(config));
        var environments = new List<EnvironmentResources>();
        Environments = environments;

        foreach (var environment in config.Environments)
        {
            var prefix = StackOutputs.Prefix(environment.Name);
            var site = new StaticSite(this, $"{prefix}Site", new StaticSiteProps
            {
                Description = StaticSiteSpec.Comment(config, environment),
                BucketName = environment.Bucket,
                PriceClass = PriceClassOf(StaticSiteSpec.PriceClass(environment)),
                DomainNames = environment.DomainNames,
                CertificateArn = environment.CertificateArn,
            });
            var role = new GitLabDeployRole(this, $"{prefix}DeployRole", new GitLabDeployRoleProps
            {
                Config = config,
                Environment = environment,
                ProviderArn = Provider.Arn,
                Bucket = site.Bucket,
                Distribution = site.Distribution,
            });

            environments.Add(new EnvironmentResources(environment, site, role));
            Output(StackOutputs.RoleArnKey(environment.Name), role.Role.RoleArn, StackSpec.RoleArnDescription(environment.Name));
            Output(StackOutputs.BucketNameKey(environment.Name), site.Bucket.BucketName, StackSpec.BucketNameDescription(environment.Name));
            Output(StackOutputs.DistributionIdKey(environment.Name), site.Distribution.DistributionId, StackSpec.DistributionIdDescription(environment.Name));
            Output(StackOutputs.UrlKey(environment.Name), environment.Url ?? site.Url, StackSpec.UrlDescription(environment.Name));
        }
    }

    public GitLabOidcProvider Provider { get; }

    public IReadOnlyList<EnvironmentResources> Environments { get; }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });

    private static PriceClass PriceClassOf(string name) => name switch
    {
        "PriceClass_All" => PriceClass.PRICE_CLASS_ALL,
        "PriceClass_200" => PriceClass.PRICE_CLASS_200,
        "PriceClass_100" => PriceClass.PRICE_CLASS_100,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a price class of StaticSiteSpec.PriceClass"),
    };
}
