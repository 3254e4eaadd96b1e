using Amazon.CDK;
using Amazon.CDK.AWS.CloudFront;
using Constructs;
using Keyless.Core.Configuration;

namespace Keyless.Infrastructure;

/// <summary>What the stack is built from: the project config, and an OIDC provider the account already has.</summary>
public sealed class KeylessStackProps
{
    public required KeylessConfig Config { get; init; }

    /// <summary>The ARN of the account's existing provider for the GitLab instance; null creates one.</summary>
    public string? ExistingOidcProviderArn { get; init; }

    /// <summary>The CloudFormation stack name; <see cref="Names.Stack"/> of the project when null.</summary>
    public string? StackName { get; init; }
}

/// <summary>One environment's resources in the stack.</summary>
public sealed record EnvironmentResources(EnvironmentSettings Settings, StaticSite Site, GitLabDeployRole Role);

/// <summary>
/// Everything one project needs in its AWS account: the GitLab OIDC provider, and per environment a static
/// site and the role its deploy jobs assume. Outputs per environment <c>&lt;Env&gt;RoleArn</c>,
/// <c>&lt;Env&gt;BucketName</c>, <c>&lt;Env&gt;DistributionId</c> and <c>&lt;Env&gt;Url</c>, plus <c>OidcProviderArn</c>.
/// </summary>
public sealed class KeylessStack : Stack
{
    public KeylessStack(Construct scope, string id, KeylessStackProps props)
        : base(scope, id, new StackProps
        {
            StackName = props.StackName ?? Names.Stack(props.Config.GitLab.Project),
            Env = new Amazon.CDK.Environment { Account = props.Config.Aws.Account, Region = props.Config.Aws.Region },
            Description = $"Keyless: GitLab OIDC deploy roles and static sites of {props.Config.GitLab.Project}",
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
        Output("OidcProviderArn", Provider.Arn, $"The IAM OIDC provider for {config.GitLab.Url}");
        var environments = new List<EnvironmentResources>();
        Environments = environments;

        foreach (var environment in config.Environments)
        {
            var prefix = StackOutputs.Prefix(environment.Name);
            var site = new StaticSite(this, $"{prefix}Site", new StaticSiteProps
            {
                Description = $"Keyless {config.GitLab.Project} {environment.Name}",
                BucketName = environment.Bucket,
                PriceClass = PriceClassOf(environment.PriceClass),
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
            Output(StackOutputs.RoleArnKey(environment.Name), role.Role.RoleArn, $"The role {environment.Name} deploy jobs assume");
            Output(StackOutputs.BucketNameKey(environment.Name), site.Bucket.BucketName, $"The {environment.Name} site's bucket");
            Output(StackOutputs.DistributionIdKey(environment.Name), site.Distribution.DistributionId, $"The {environment.Name} site's CloudFront distribution");
            Output(StackOutputs.UrlKey(environment.Name), environment.Url ?? site.Url, $"Where the {environment.Name} site is served");
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
        _ => PriceClass.PRICE_CLASS_100,
    };
}
