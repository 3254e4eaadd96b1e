using System.Globalization;

namespace Keyless.Identity.Exchange;

/// <summary>
/// Temporary credentials from AssumeRoleWithWebIdentity. The secret access key and the session token are
/// credentials: <see cref="ToString"/> shows neither, so logging the object is safe.
/// </summary>
public sealed record AwsSessionCredentials(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    DateTimeOffset Expiration,
    string AssumedRoleArn)
{
    public const string Redacted = "[REDACTED]";

    /// <summary>The expiry as AWS tools write it in <c>AWS_CREDENTIAL_EXPIRATION</c> (RFC 3339, UTC).</summary>
    public string ExpirationText => Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public override string ToString() =>
        $"AwsSessionCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = {Redacted}, SessionToken = {Redacted}, Expiration = {ExpirationText}, AssumedRoleArn = {AssumedRoleArn} }}";
}
