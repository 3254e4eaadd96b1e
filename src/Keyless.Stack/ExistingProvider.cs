using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Trust;
using Keyless.Trust.Evaluation;

namespace Keyless.Stack;

/// <summary>An OIDC provider the account already has for the GitLab instance (IAM allows one per URL), used instead of creating one.</summary>
public static class ExistingProvider
{
    /// <summary>The ARN when it is the instance's provider in the config's account; null for none; else a user error naming <paramref name="option"/>.</summary>
    public static string? Check(string? arn, KeylessConfig config, string option)
    {
        if (string.IsNullOrEmpty(arn))
        {
            return null;
        }

        return OidcProvider.ParseArn(arn) is var (account, prefix) && account == config.Aws.Account && prefix == config.GitLab.KeyPrefix
            ? arn
            : throw KeylessException.Input($"{option} {(arn.Length > 100 ? arn[..100] + "…" : arn)}: not the provider for {config.GitLab.Url} in account {config.Aws.Account} of {config.Source}; expected {DeployTrustPolicy.ProviderArn(config)}. Leave it out to create the provider.");
    }
}
