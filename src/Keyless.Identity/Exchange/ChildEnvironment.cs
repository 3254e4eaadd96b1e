using Keyless.Core;

namespace Keyless.Identity.Exchange;

/// <summary>
/// How a child process's environment changes so that it uses exactly the exchanged credentials: the
/// credentials are set, and the token and the web-identity settings (which SDKs would otherwise use to
/// assume a role themselves) are removed.
/// </summary>
public static class ChildEnvironment
{
    /// <summary>Variable → new value; a null value removes the variable.</summary>
    public static IReadOnlyDictionary<string, string?> Changes(AwsSessionCredentials credentials, IEnvironment environment, string tokenVariable)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(environment);
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [tokenVariable] = null,
            [EnvironmentNames.WebIdentityTokenFile] = null,
            [EnvironmentNames.RoleArn] = null,
            [EnvironmentNames.RoleSessionName] = null,
            [EnvironmentNames.SecurityToken] = null,
            [EnvironmentNames.AccessKeyId] = credentials.AccessKeyId,
            [EnvironmentNames.SecretAccessKey] = credentials.SecretAccessKey,
            [EnvironmentNames.SessionToken] = credentials.SessionToken,
            [EnvironmentNames.CredentialExpiration] = credentials.ExpirationText,
        };

        if (EnvironmentNames.ConfiguredRegion(environment) is { } region)
        {
            changes[EnvironmentNames.Region] = region;
        }

        return changes;
    }
}
