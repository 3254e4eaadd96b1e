using Keyless.Core;

namespace Keyless.Identity.Exchange;

/// <summary>The variables the exchange reads and the ones it hands to a child process.</summary>
public static class EnvironmentNames
{
    /// <summary>Where Keyless looks for the job's ID token by default (<c>id_tokens: KEYLESS_ID_TOKEN: aud: …</c>).</summary>
    public const string IdToken = "KEYLESS_ID_TOKEN";

    public const string WebIdentityTokenFile = "AWS_WEB_IDENTITY_TOKEN_FILE";
    public const string RoleArn = "AWS_ROLE_ARN";
    public const string RoleSessionName = "AWS_ROLE_SESSION_NAME";
    public const string EndpointUrlSts = "AWS_ENDPOINT_URL_STS";
    public const string EndpointUrl = "AWS_ENDPOINT_URL";
    public const string Region = "AWS_REGION";
    public const string DefaultRegion = "AWS_DEFAULT_REGION";

    public const string AccessKeyId = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKey = "AWS_SECRET_ACCESS_KEY";
    public const string SessionToken = "AWS_SESSION_TOKEN";
    public const string CredentialExpiration = "AWS_CREDENTIAL_EXPIRATION";

    /// <summary>The pre-2014 name of the session token that boto2 and some tools still read.</summary>
    public const string SecurityToken = "AWS_SECURITY_TOKEN";

    public const string CiProjectId = "CI_PROJECT_ID";
    public const string CiPipelineId = "CI_PIPELINE_ID";
    public const string CiJobId = "CI_JOB_ID";

    /// <summary>The region used when the environment names none, as the AWS CLI's STS calls do.</summary>
    public const string FallbackRegion = "us-east-1";

    /// <summary>The region the environment names (AWS_REGION, then AWS_DEFAULT_REGION); null when none.</summary>
    public static string? ConfiguredRegion(IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return NonEmpty(environment.Variable(Region)) ?? NonEmpty(environment.Variable(DefaultRegion));
    }

    internal static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
