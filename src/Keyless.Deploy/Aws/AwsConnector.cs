using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Keyless.Core;
using Keyless.Deploy.CloudFront;
using Keyless.Deploy.Storage;
using Keyless.Identity.Exchange;

namespace Keyless.Deploy.Aws;

/// <summary>
/// Connects to S3 and CloudFront. Credentials, in this order: the job's GitLab ID token exchanged with STS
/// (<c>$KEYLESS_ID_TOKEN</c>, or <c>$AWS_WEB_IDENTITY_TOKEN_FILE</c> with a role; <c>--role</c> forces it), keys in
/// the environment (<c>$AWS_ACCESS_KEY_ID</c>/<c>$AWS_SECRET_ACCESS_KEY</c>), then the SDK's default chain
/// (profiles, container and instance roles) when <paramref name="defaultChain"/> is given. Endpoints come from
/// <c>$AWS_ENDPOINT_URL_S3</c>/<c>$AWS_ENDPOINT_URL</c> through the same <see cref="IEnvironment"/>.
/// </summary>
public sealed class AwsConnector(IEnvironment environment, InputFiles files, HttpClient http, TimeProvider time, Func<AWSCredentials?>? defaultChain) : IDeployConnector
{
    /// <summary>Adjusts the S3 client's settings after they are read from the environment (tests: retries, a proxy endpoint).</summary>
    public Func<S3ClientSettings, S3ClientSettings> TuneS3 { get; init; } = settings => settings;

    /// <summary>The SDK's default credential chain, or null when it finds nothing.</summary>
    public static AWSCredentials? SdkDefaultChain()
    {
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException)
        {
            return null;
        }
    }

    public async Task<DeployConnection> ConnectAsync(DeployTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var endpoint = S3ClientSettings.EndpointFrom(environment);
        var (credentials, identity, secrets) = await CredentialsAsync(target, cancellationToken);
        var redact = Redactor(secrets);
        var settings = TuneS3(new S3ClientSettings { Region = target.Region, Endpoint = endpoint });
        var s3 = S3ClientFactory.Create(credentials, settings);
        var store = new S3ObjectStore(s3, target.Layout.Bucket, new StoreContext(settings.Endpoint?.ToString().TrimEnd('/') ?? "", identity, redact));
        var cdn = target.Distribution is null ? null : new CloudFrontRestClient(http, CloudFrontRestClient.EndpointFrom(environment), credentials, redact);
        return new DeployConnection(store, cdn, identity, s3);
    }

    private async Task<(AWSCredentials Credentials, string Identity, string[] Secrets)> CredentialsAsync(DeployTarget target, CancellationToken cancellationToken)
    {
        var tokenInVariable = Set(EnvironmentNames.IdToken);
        var tokenFile = Set(EnvironmentNames.WebIdentityTokenFile);
        var role = target.Role ?? Value(EnvironmentNames.RoleArn);
        if (target.Role is not null || tokenInVariable || (tokenFile && role is not null))
        {
            var session = await new StsExchange(environment, files, time).ExchangeAsync(new ExchangeRequest { RoleArn = target.Role, DurationSeconds = 3600 }, cancellationToken);
            return (new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken), $"the role session {session.AssumedRoleArn} (from the job's ID token)", [session.SecretAccessKey, session.SessionToken]);
        }

        if (Value(EnvironmentNames.AccessKeyId) is { } keyId && Value(EnvironmentNames.SecretAccessKey) is { } secret)
        {
            var token = Value(EnvironmentNames.SessionToken);
            AWSCredentials keys = token is null ? new BasicAWSCredentials(keyId, secret) : new SessionAWSCredentials(keyId, secret, token);
            return (keys, $"the credentials in ${EnvironmentNames.AccessKeyId}", token is null ? [secret] : [secret, token]);
        }

        if (defaultChain?.Invoke() is { } found)
        {
            return (found, "the AWS SDK's default credentials (profile, container or instance role)", []);
        }

        throw KeylessException.Input(
            $"No AWS credentials. In GitLab CI give the job an ID token and a role: id_tokens: {{ {EnvironmentNames.IdToken}: {{ aud: <your provider's audience> }} }} and ${EnvironmentNames.RoleArn} (or --role ARN). " +
            $"Elsewhere set ${EnvironmentNames.AccessKeyId} and ${EnvironmentNames.SecretAccessKey}, or AWS_PROFILE.");
    }

    private bool Set(string name) => Value(name) is not null;

    private string? Value(string name) => environment.Variable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Func<string, string> Redactor(string[] secrets)
    {
        var known = secrets.Where(s => s.Length >= 8).ToArray();
        return text => known.Aggregate(text, (current, secret) => current.Replace(secret, AwsSessionCredentials.Redacted, StringComparison.Ordinal));
    }
}
