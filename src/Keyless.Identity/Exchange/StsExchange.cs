using System.Globalization;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Keyless.Core;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Identity.Exchange;

/// <summary>Called before each retry: the attempt that failed, why, and the wait before the next one.</summary>
public sealed record RetryNotice(int Attempt, StsFailure Failure, TimeSpan Delay);

/// <summary>
/// Exchanges the job's GitLab ID token for short-lived AWS credentials with AssumeRoleWithWebIdentity.
/// Retries only what another attempt can fix (throttling, IDPCommunicationError, HTTP 5xx, network
/// failures), re-reading the token before each attempt; explains the rest. Never logs or repeats the token
/// or the credentials' secrets.
/// </summary>
public sealed class StsExchange(IEnvironment environment, InputFiles files, TimeProvider time, RetryPolicy? retry = null)
{
    private readonly RetryPolicy _retry = retry ?? RetryPolicy.Default;

    /// <summary>Told about each retry before its wait; for progress lines and tests.</summary>
    public Action<RetryNotice>? OnRetry { get; init; }

    public async Task<AwsSessionCredentials> ExchangeAsync(ExchangeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var role = ResolveRole(request);
        if (request.DurationSeconds is < ExchangeRequest.MinDurationSeconds or > ExchangeRequest.MaxDurationSeconds)
        {
            throw KeylessException.Input(string.Create(CultureInfo.InvariantCulture,
                $"Duration {request.DurationSeconds} s is outside what STS accepts: {ExchangeRequest.MinDurationSeconds} to {ExchangeRequest.MaxDurationSeconds} seconds, and at most the role's MaxSessionDuration (3600 unless raised)."));
        }

        var trust = LoadTrust(request.Policy, role);
        var endpoint = Endpoint();
        var tokens = new TokenSource(environment, files, request.TokenVariable);
        var sessionName = request.RoleSessionName is { } explicitName
            ? SessionNames.Sanitise(explicitName)
            : null;

        using var client = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), ClientConfig(endpoint));
        var failures = new List<StsFailure>();
        for (var attempt = 1; ; attempt++)
        {
            // Read on every attempt: a job may have written a fresh token to the file meanwhile.
            var token = tokens.Read();
            var decoded = Decode(token);
            sessionName ??= EnvironmentNames.NonEmpty(environment.Variable(EnvironmentNames.RoleSessionName)) is { } configured
                ? SessionNames.Sanitise(configured)
                : SessionNames.ForJob(decoded.Claims, environment, time.GetUtcNow());

            StsFailure failure;
            try
            {
                var response = await client.AssumeRoleWithWebIdentityAsync(
                    new AssumeRoleWithWebIdentityRequest
                    {
                        RoleArn = role.Value,
                        RoleSessionName = sessionName,
                        WebIdentityToken = token.Value,
                        DurationSeconds = request.DurationSeconds,
                    },
                    cancellationToken);
                return ToCredentials(response, role);
            }
            catch (Exception e) when (StsFailure.From(e, cancellationToken) is { } classified)
            {
                failure = classified;
            }

            failures.Add(failure);
            if (!failure.Retryable)
            {
                throw Refused(failure, role, token, decoded, trust, request, sessionName, endpoint);
            }

            if (attempt >= _retry.MaxAttempts)
            {
                throw GaveUp(failures, role, endpoint);
            }

            var delay = _retry.DelayBefore(attempt);
            OnRetry?.Invoke(new RetryNotice(attempt, failure, delay));
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>Where the exchange sends its request: <c>AWS_ENDPOINT_URL_STS</c>, else <c>AWS_ENDPOINT_URL</c>, else AWS's regional endpoint.</summary>
    public StsEndpoint Endpoint()
    {
        var region = EnvironmentNames.ConfiguredRegion(environment) ?? EnvironmentNames.FallbackRegion;
        foreach (var variable in new[] { EnvironmentNames.EndpointUrlSts, EnvironmentNames.EndpointUrl })
        {
            if (EnvironmentNames.NonEmpty(environment.Variable(variable)) is { } url)
            {
                return HttpUrl.Is(url)
                    ? new StsEndpoint(url, region)
                    : throw KeylessException.Input($"${variable} is \"{url}\", which is not an absolute http(s) URL; expected an STS endpoint such as https://sts.{region}.amazonaws.com.");
            }
        }

        return new StsEndpoint(null, region);
    }

    private AmazonSecurityTokenServiceConfig ClientConfig(StsEndpoint endpoint)
    {
        var config = new AmazonSecurityTokenServiceConfig
        {
            // This class's retry policy is the only one: the SDK's own would retry AccessDenied-free errors
            // with the same token and multiply the attempts.
            MaxErrorRetry = 0,
            // The endpoint comes from the IEnvironment seam only, not from variables the SDK reads itself.
            IgnoreConfiguredEndpointUrls = true,
            Timeout = _retry.AttemptTimeout,
        };

        if (endpoint.Url is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = endpoint.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(endpoint.Region);
        }

        return config;
    }

    private RoleArn ResolveRole(ExchangeRequest request)
    {
        if (request.RoleArn is { } explicitArn)
        {
            return RoleArn.Parse(explicitArn, "The role ARN");
        }

        return EnvironmentNames.NonEmpty(environment.Variable(EnvironmentNames.RoleArn)) is { } fromEnvironment
            ? RoleArn.Parse(fromEnvironment, $"${EnvironmentNames.RoleArn}")
            : throw KeylessException.Input($"No role to assume: pass the role's ARN (--role arn:aws:iam::ACCOUNT:role/NAME) or set ${EnvironmentNames.RoleArn}.");
    }

    private static RoleTrust? LoadTrust(TrustPolicyText? policy, RoleArn role)
    {
        if (policy is null)
        {
            return null;
        }

        // Templates get the role's account, so their provider ARNs compare with the token's provider.
        var set = TrustDocuments.Load(policy.Source, policy.Json, role.Account);
        var name = policy.RoleName
            ?? (set.Roles.Count > 1 && set.Roles.Any(r => r.Name == role.Name) ? role.Name : null);
        return set.SelectRole(name);
    }

    private static IdToken Decode(JobToken token) => IdTokenText.Decode(token.Origin, token.Value);

    private static AwsSessionCredentials ToCredentials(AssumeRoleWithWebIdentityResponse response, RoleArn role)
    {
        var credentials = response.Credentials
            ?? throw new KeylessException(FailureKind.Failed, $"AWS STS answered AssumeRoleWithWebIdentity for {role} without credentials.");
        var expiration = credentials.Expiration is { } at
            ? new DateTimeOffset(DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc))
            : throw new KeylessException(FailureKind.Failed, $"AWS STS answered AssumeRoleWithWebIdentity for {role} with credentials that have no expiration.");
        return new AwsSessionCredentials(
            credentials.AccessKeyId,
            credentials.SecretAccessKey,
            credentials.SessionToken,
            expiration,
            response.AssumedRoleUser?.Arn ?? role.Value);
    }

    private KeylessException Refused(
        StsFailure failure,
        RoleArn role,
        JobToken token,
        IdToken decoded,
        RoleTrust? trust,
        ExchangeRequest request,
        string sessionName,
        StsEndpoint endpoint)
    {
        var now = time.GetUtcNow();
        var requestId = failure.RequestId is { Length: > 0 } id ? $" (request ID {id})" : "";
        var lines = new List<string>
        {
            $"AWS STS refused AssumeRoleWithWebIdentity for {role}{endpoint.Describe()}: {failure}{requestId}.",
            TokenSummary.Describe(token, decoded, now),
        };

        var issuer = decoded.Claims.Single("iss") ?? "(no iss)";
        var audience = decoded.Claims.Values("aud") is { Count: > 0 } aud ? string.Join(", ", aud) : "(no aud)";
        switch (failure.Code)
        {
            case StsFailure.AccessDenied when trust is not null:
                var parameters = new AssumeRoleParameters(sessionName, request.DurationSeconds, trust.MaxSessionDuration);
                lines.Add(DenialExplainer.Explain(trust, decoded, role, now, parameters));
                break;
            case StsFailure.AccessDenied:
                lines.Add($"The token is valid, but the trust policy of {role.Name} does not admit it; AWS does not say which condition failed. " +
                          $"To see it, pass the role's trust policy with --policy FILE (a policy document, the output of `aws iam get-role --role-name {role.Name}`, or a CloudFormation/CDK template), " +
                          $"or run `keyless trust simulate --policy FILE --claims CLAIMS.json --provider-url {issuer} --client-id {audience}` with the token's claims.");
                break;
            case StsFailure.InvalidIdentityToken:
                lines.Add(InvalidTokenHint(failure.Message, role, issuer, audience));
                break;
            case StsFailure.ExpiredToken:
                lines.Add($"The token has expired (AWS allows five minutes of clock skew past exp). Re-run the job, or exchange the token earlier in it; a fresh token written to ${EnvironmentNames.WebIdentityTokenFile} is read again on every attempt.");
                break;
            case StsFailure.ValidationError:
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"STS refused the request's parameters: DurationSeconds {request.DurationSeconds} must be from 900 to the role's MaxSessionDuration (3600 unless raised), and RoleSessionName \"{sessionName}\" must be 2-64 characters of [\\w+=,.@-]."));
                break;
            default:
                break;
        }

        return new KeylessException(FailureKind.Failed, string.Join("\n", lines));
    }

    private static string InvalidTokenHint(string message, RoleArn role, string issuer, string audience)
    {
        if (message.Contains("No OpenIDConnect provider", StringComparison.OrdinalIgnoreCase))
        {
            return $"Account {role.Account} has no IAM OIDC provider for the token's iss {issuer}. Create one whose URL is exactly the iss (scheme, case, path and trailing slash count) with client ID {audience}.";
        }

        if (message.Contains("audience", StringComparison.OrdinalIgnoreCase))
        {
            return $"The token's aud {audience} is not in the client-ID list of the provider {issuer} in account {role.Account}. Add it to the provider, or set id_tokens: …: aud in .gitlab-ci.yml to a listed client ID.";
        }

        if (message.Contains("verification key", StringComparison.OrdinalIgnoreCase))
        {
            return $"AWS could not fetch the signing keys of {issuer}: {issuer}/.well-known/openid-configuration and its jwks_uri must be publicly reachable over HTTPS and answer within 5 seconds.";
        }

        return $"AWS could not validate the token. Check that it is the job's current ID token (re-run the job for a new one) and that account {role.Account} has an OIDC provider for {issuer}; `keyless trust simulate` shows the checks AWS makes.";
    }

    private static KeylessException GaveUp(List<StsFailure> failures, RoleArn role, StsEndpoint endpoint)
    {
        var attempts = string.Join("; ", failures.Select((f, i) => string.Create(CultureInfo.InvariantCulture, $"{i + 1}: {f}")));
        return new KeylessException(
            FailureKind.Failed,
            string.Create(CultureInfo.InvariantCulture,
                $"AWS STS did not answer AssumeRoleWithWebIdentity for {role}{endpoint.Describe()} after {failures.Count} attempts ({attempts}). ") +
            "These errors are temporary on AWS's side or the network's; try again later, and if it persists check the endpoint and the network.");
    }
}

/// <summary>The STS endpoint: a configured URL, or AWS's regional endpoint for the region.</summary>
public sealed record StsEndpoint(string? Url, string Region)
{
    internal string Describe() => Url is null ? "" : $" at {Url}";
}
