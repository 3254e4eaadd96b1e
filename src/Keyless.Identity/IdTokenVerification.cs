using Keyless.Trust.Evaluation;

namespace Keyless.Identity;

/// <summary>
/// What AWS STS would conclude about a token before it reads any trust policy: valid, or the error code
/// and message STS would answer with. <see cref="Detail"/> is Keyless's own explanation (which key, which
/// URL, which times); AWS does not say that much. Neither text ever contains the token.
/// </summary>
public sealed record IdTokenVerification(
    bool Valid,
    DecisionCode? Error,
    string Message,
    string Detail,
    IdToken? Token,
    string? KeyId)
{
    /// <summary>The decoded claims, when the token could be decoded at all.</summary>
    public TokenClaims? Claims => Token?.Claims;

    internal static IdTokenVerification Success(IdToken token, string keyId, string detail) =>
        new(true, null, "The token is valid: AWS STS would go on to evaluate the role's trust policy.", detail, token, keyId);

    internal static IdTokenVerification Invalid(string message, string detail, IdToken? token = null) =>
        new(false, DecisionCode.InvalidIdentityToken, message, detail, token, null);

    internal static IdTokenVerification Expired(string message, string detail, IdToken token) =>
        new(false, DecisionCode.ExpiredTokenException, message, detail, token, null);
}
