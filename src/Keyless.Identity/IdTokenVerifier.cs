using System.Globalization;
using Keyless.Trust.Evaluation;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Keyless.Identity;

/// <summary>
/// Verifies a GitLab ID token the way AWS STS does for an IAM OIDC provider, before any trust policy is read:
/// size, shape, algorithm, <c>iss</c> equal to the provider URL, <c>aud</c> in the client-ID list, the signature
/// by a key of the issuer's JWKS found by <c>kid</c> (the JWKS is fetched again once when the kid is unknown),
/// <c>exp</c> with AWS's five-minute skew, and <c>nbf</c>/<c>iat</c> not more than five minutes ahead.
/// Signature and lifetime are checked by Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>.
/// Sources: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html ,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html (skew).
/// </summary>
public sealed class IdTokenVerifier
{
    /// <summary>AWS's maximum length of WebIdentityToken.</summary>
    public const int MaxTokenLength = 20_000;

    /// <summary>Asymmetric algorithms only: <c>none</c> and the HMAC family are refused outright.</summary>
    public static readonly IReadOnlyList<string> AcceptedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
         SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512];

    private static readonly TimeSpan Skew = StsSimulator.ClockSkew;

    private readonly JwksSource _keys;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public IdTokenVerifier(JwksSource keys, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Verifies <paramref name="token"/> for <paramref name="provider"/>. The keys come from <paramref name="jwks"/>
    /// when given, else from the provider URL's discovery document. Token problems are results, never exceptions;
    /// an unusable JWKS <em>file</em> throws a <see cref="Core.KeylessException"/> (input error).
    /// </summary>
    public async Task<IdTokenVerification> VerifyAsync(string token, OidcProvider provider, JwksLocation? jwks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(provider);

        if (token.Length > MaxTokenLength)
        {
            return IdTokenVerification.Invalid(StsMessages.TokenTooLong, $"The token has {token.Length} characters; AssumeRoleWithWebIdentity accepts at most {MaxTokenLength}.");
        }

        var decoded = IdToken.TryDecode(token, out var problem);
        if (decoded is null)
        {
            return IdTokenVerification.Invalid(StsMessages.CouldNotValidate, problem!);
        }

        if (CheckAlgorithm(decoded) is { } refused)
        {
            return refused;
        }

        if (CheckIssuerAndAudience(decoded, provider) is { } mismatch)
        {
            return mismatch;
        }

        if (decoded.Claims.Seconds("exp") is null)
        {
            return IdTokenVerification.Invalid(StsMessages.MissingClaim("exp"), "The token has no numeric exp claim; AWS requires one.", decoded);
        }

        var location = jwks ?? JwksLocation.Discover(provider.Url);
        var (keys, keyProblem) = await FindKeysAsync(decoded, location, cancellationToken);
        if (keys is null)
        {
            return keyProblem!;
        }

        var result = await _handler.ValidateTokenAsync(token, Parameters(provider, keys, decoded.Header.KeyId is null));
        if (!result.IsValid)
        {
            return Explain(result.Exception, decoded, provider, location);
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (decoded.Claims.Seconds("iat") is { } iat && iat > now + (long)Skew.TotalSeconds)
        {
            return IdTokenVerification.Invalid(StsMessages.IssuedInFuture, $"iat {Describe(iat)} is more than five minutes after now {Describe(now)}.", decoded);
        }

        var signingKey = result.SecurityToken is JsonWebToken verified ? verified.SigningKey?.KeyId : null;
        var expiry = decoded.Claims.Seconds("exp")!.Value;
        var remaining = expiry - now;
        return IdTokenVerification.Success(
            decoded,
            signingKey ?? decoded.Header.KeyId ?? "",
            $"Signed with {decoded.Header.Algorithm} by key {signingKey ?? "(no kid)"} of {location}; iss and aud match; "
            + (remaining >= 0 ? $"expires {Describe(expiry)}." : $"expired {-remaining} s ago ({Describe(expiry)}), within AWS's five-minute skew."));
    }

    private static IdTokenVerification? CheckAlgorithm(IdToken token)
    {
        var alg = token.Header.Algorithm;
        if (alg is null || alg.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return IdTokenVerification.Invalid(StsMessages.CouldNotValidate, "The token is unsigned (alg \"none\" or no alg); only tokens signed with the provider's key are accepted.", token);
        }

        if (alg.StartsWith("HS", StringComparison.OrdinalIgnoreCase))
        {
            return IdTokenVerification.Invalid(StsMessages.CouldNotValidate, $"alg {alg} is a shared-secret (HMAC) algorithm; an OIDC provider's tokens are verified only with the asymmetric keys of its JWKS (GitLab signs with RS256).", token);
        }

        return AcceptedAlgorithms.Contains(alg, StringComparer.Ordinal)
            ? null
            : IdTokenVerification.Invalid(StsMessages.CouldNotValidate, $"alg {alg} is not accepted; expected one of {string.Join(", ", AcceptedAlgorithms)}.", token);
    }

    private static IdTokenVerification? CheckIssuerAndAudience(IdToken token, OidcProvider provider)
    {
        var issuer = token.Claims.Single("iss");
        if (issuer is null)
        {
            return IdTokenVerification.Invalid(StsMessages.MissingClaim("iss"), "The token has no iss claim, so AWS cannot find an OIDC provider for it.", token);
        }

        if (!string.Equals(issuer, provider.Url, StringComparison.Ordinal))
        {
            return IdTokenVerification.Invalid(
                StsMessages.NoProvider(issuer),
                $"iss \"{issuer}\" is not the provider URL \"{provider.Url}\"; the match is exact (scheme, case, path and trailing slash all count).",
                token);
        }

        var audiences = token.Claims.Values("aud");
        if (audiences is null || audiences.Count == 0)
        {
            return IdTokenVerification.Invalid(StsMessages.MissingClaim("aud"), "The token has no aud claim; set aud in the job's id_tokens.", token);
        }

        return audiences.Any(a => provider.ClientIds.Contains(a, StringComparer.Ordinal))
            ? null
            : IdTokenVerification.Invalid(
                StsMessages.IncorrectAudience,
                $"aud {string.Join(", ", audiences.Select(a => $"\"{a}\""))} is not in the provider's client-ID list [{string.Join(", ", provider.ClientIds.Select(c => $"\"{c}\""))}].",
                token);
    }

    /// <summary>The keys that may have signed the token: those with its kid, after one refetch if none has it.</summary>
    private async Task<(IReadOnlyList<SecurityKey>? Keys, IdTokenVerification? Problem)> FindKeysAsync(IdToken token, JwksLocation location, CancellationToken cancellationToken)
    {
        var kid = token.Header.KeyId;
        try
        {
            var document = await _keys.GetAsync(location, refresh: false, cancellationToken);
            var keys = Candidates(document, kid);
            if (keys.Count == 0 && kid is not null)
            {
                // The issuer may have rotated its key since the set was cached: ask once more, bypassing the cache.
                document = await _keys.GetAsync(location, refresh: true, cancellationToken);
                keys = Candidates(document, kid);
            }

            if (keys.Count > 0)
            {
                return (keys, null);
            }

            var detail = kid is null
                ? $"{location} has no RSA or EC signing key."
                : $"No key in {location} has kid \"{kid}\" (fetched again to allow for key rotation); its keys: {Join(document.KeyIds)}.";
            return (null, IdTokenVerification.Invalid(StsMessages.CouldNotValidate, detail, token));
        }
        catch (JwksUnavailableException e)
        {
            return (null, IdTokenVerification.Invalid(StsMessages.CouldNotRetrieveKey, $"Could not get the keys from {location}: {e.Message}.", token));
        }
    }

    private static List<SecurityKey> Candidates(JwksDocument document, string? kid) =>
        [.. document.Keys.Keys
            .Where(k => k.Kty is JsonWebAlgorithmsKeyTypes.RSA or JsonWebAlgorithmsKeyTypes.EllipticCurve)
            .Where(k => k.Use is null or "" or JsonWebKeyUseNames.Sig)
            .Where(k => kid is null || string.Equals(k.Kid, kid, StringComparison.Ordinal))];

    private TokenValidationParameters Parameters(OidcProvider provider, IReadOnlyList<SecurityKey> keys, bool tryAllKeys) => new()
    {
        ValidIssuer = provider.Url,
        ValidateIssuer = true,
        ValidAudiences = provider.ClientIds,
        ValidateAudience = true,
        IssuerSigningKeys = keys,
        TryAllIssuerSigningKeys = tryAllKeys,
        ValidAlgorithms = AcceptedAlgorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = Skew,
        LifetimeValidator = ValidateLifetime,
        LogValidationExceptions = false,
    };

    /// <summary>
    /// IdentityModel's own lifetime rule (expired when exp + skew is before now, not yet valid when nbf is after
    /// now + skew), read against the injected clock so that <c>--now</c> works.
    /// </summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("The token has no exp claim.");
        }

        if (notBefore is { } nbf && nbf > expires)
        {
            throw new SecurityTokenInvalidLifetimeException("nbf is after exp.") { NotBefore = nbf, Expires = expires };
        }

        if (notBefore is { } start && start > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("nbf is in the future.") { NotBefore = start };
        }

        return expires.Value < now - parameters.ClockSkew
            ? throw new SecurityTokenExpiredException("exp has passed.") { Expires = expires.Value }
            : true;
    }

    private IdTokenVerification Explain(Exception? exception, IdToken token, OidcProvider provider, JwksLocation location)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var expiry = token.Claims.Seconds("exp") ?? 0;
        return exception switch
        {
            SecurityTokenExpiredException => IdTokenVerification.Expired(
                StsMessages.TokenExpired(now, expiry),
                $"exp {Describe(expiry)} plus AWS's five-minute skew is before now {Describe(now)}.",
                token),
            SecurityTokenNotYetValidException => IdTokenVerification.Invalid(
                StsMessages.NotYetValid,
                $"nbf {Describe(token.Claims.Seconds("nbf") ?? 0)} is more than five minutes after now {Describe(now)}.",
                token),
            SecurityTokenInvalidLifetimeException => IdTokenVerification.Invalid(StsMessages.CouldNotValidate, "The token's nbf is after its exp.", token),
            SecurityTokenNoExpirationException => IdTokenVerification.Invalid(StsMessages.MissingClaim("exp"), "The token has no exp claim; AWS requires one.", token),
            SecurityTokenInvalidAudienceException => IdTokenVerification.Invalid(StsMessages.IncorrectAudience, "The audience did not match the client-ID list.", token),
            SecurityTokenInvalidIssuerException => IdTokenVerification.Invalid(StsMessages.NoProvider(token.Claims.Single("iss") ?? ""), $"iss is not \"{provider.Url}\".", token),
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => IdTokenVerification.Invalid(
                StsMessages.CouldNotValidate,
                $"The signature does not verify with the key{(token.Header.KeyId is { } kid ? $" \"{kid}\"" : "s")} of {location}: the token was altered or signed by another key.",
                token),
            SecurityTokenInvalidAlgorithmException => IdTokenVerification.Invalid(StsMessages.CouldNotValidate, $"alg {token.Header.Algorithm} is not accepted.", token),
            SecurityTokenMalformedException => IdTokenVerification.Invalid(StsMessages.CouldNotValidate, "The token is not a well-formed JWT.", token),
            _ => IdTokenVerification.Invalid(StsMessages.CouldNotValidate, $"Validation failed ({exception?.GetType().Name ?? "unknown reason"}).", token),
        };
    }

    private static string Describe(long seconds) => string.Create(
        CultureInfo.InvariantCulture,
        $"{seconds} ({DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L)).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)");

    private static string Join(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items.Select(i => $"\"{i}\""));
}
