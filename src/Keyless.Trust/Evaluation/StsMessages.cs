using System.Globalization;

namespace Keyless.Trust.Evaluation;

/// <summary>
/// The messages AWS STS answers a rejected web identity token with. Where AWS's own text is known it is
/// reproduced character for character (source noted); where AWS has not been seen to say anything specific,
/// the documented generic description of the error code is used and Keyless's explanation goes in the detail.
/// </summary>
public static class StsMessages
{
    /// <summary>
    /// The API reference's description of InvalidIdentityToken; used where no more specific AWS text is known
    /// (malformed token, refused algorithm, bad signature, unknown key).
    /// Source: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html (Errors).
    /// </summary>
    public const string CouldNotValidate =
        "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.";

    /// <summary>Observed text, including the two spaces after the comma. Source: https://github.com/awslabs/aws-sdk-rust/issues/827 .</summary>
    public const string CouldNotRetrieveKey =
        "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements";

    /// <summary>Source: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html .</summary>
    public const string IncorrectAudience = "Incorrect token audience";

    /// <summary>
    /// AWS's length constraint on WebIdentityToken (20,000 characters in the current API reference). The wording is
    /// AWS's constraint-violation wording; the value is left out because the parameter is a credential.
    /// </summary>
    public const string TokenTooLong =
        "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000";

    /// <summary>Observed text. Sources: https://github.com/kreuzwerker/awsu/issues/27 , https://github.com/aws-azure-login/aws-azure-login/issues/93 .</summary>
    public const string DurationExceedsMaximum = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.";

    /// <summary>Keyless's wording (AWS does not document nbf handling); shared with the STS simulator.</summary>
    public const string NotYetValid = "Token is not yet valid (nbf is in the future)";

    /// <summary>Keyless's wording (AWS does not document iat handling); shared with the STS simulator.</summary>
    public const string IssuedInFuture = "Token was issued in the future (iat)";

    /// <summary>Source: https://github.com/awslabs/amazon-eks-irsa-cfn/pull/18 (aud); the same form is used for iss and exp.</summary>
    public static string MissingClaim(string claim) => $"Missing a required claim: {claim}";

    /// <summary>Source: https://github.com/aws-actions/configure-aws-credentials/issues/721 .</summary>
    public static string NoProvider(string issuer) => $"No OpenIDConnect provider found in your account for {issuer}";

    /// <summary>
    /// Observed text: Unix seconds, and no space between "date/time" and the expiry.
    /// Source: https://github.com/awslabs/aws-orbit-workbench/issues/771 (and #707, #890).
    /// </summary>
    public static string TokenExpired(long now, long expiry) =>
        string.Create(CultureInfo.InvariantCulture, $"Token expired: current date/time {now} must be before the expiration date/time{expiry}");
}
