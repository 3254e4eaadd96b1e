using Keyless.Core.Configuration;

namespace Keyless.Stack;

/// <summary>The stack as a whole: its description and the descriptions of its outputs (named by <see cref="StackOutputs"/>).</summary>
public static class StackSpec
{
    public const string ProviderArnOutput = "OidcProviderArn";

    public static string Description(KeylessConfig config) => $"Keyless: GitLab OIDC deploy roles and static sites of {config.GitLab.Project}";

    public static string ProviderArnDescription(KeylessConfig config) => $"The IAM OIDC provider for {config.GitLab.Url}";

    public static string RoleArnDescription(string environment) => $"The role {environment} deploy jobs assume";

    public static string BucketNameDescription(string environment) => $"The {environment} site's bucket";

    public static string DistributionIdDescription(string environment) => $"The {environment} site's CloudFront distribution";

    public static string UrlDescription(string environment) => $"Where the {environment} site is served";
}
