using System.Globalization;
using System.Text.RegularExpressions;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Evaluation;

/// <summary>The parameters of an AssumeRoleWithWebIdentity call that STS validates.</summary>
public sealed record AssumeRoleParameters(string RoleSessionName = "keyless", int DurationSeconds = 3600, int MaxSessionDuration = 3600);

/// <summary>Everything STS looks at: the role's trust policy, the token's claims, the account's providers, the clock.</summary>
public sealed record SimulationInput(
    PolicyDocument Policy,
    TokenClaims Claims,
    IReadOnlyList<OidcProvider> Providers,
    string Account,
    DateTimeOffset Now,
    AssumeRoleParameters Parameters);

/// <summary>
/// Reproduces the decision of <c>sts:AssumeRoleWithWebIdentity</c> for a token whose signature is already
/// known to be good (signatures are checked by the token verifier).
/// Sources: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html ,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_oidc.html (five-minute skew).
/// </summary>
public static partial class StsSimulator
{
    public const string AssumeAction = "sts:AssumeRoleWithWebIdentity";
    public const string TagSessionAction = "sts:TagSession";

    /// <summary>IAM accepts OIDC tokens up to five minutes after <c>exp</c> to allow for clock skew.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public const int MinDurationSeconds = 900;

    public static StsDecision Simulate(SimulationInput input)
    {
        var checks = new List<TokenCheck>();
        StsDecision Stop(DecisionCode code, string message) => new(code, message, checks, []);

        if (ValidateParameters(input.Parameters) is { } validation)
        {
            checks.Add(new("request parameters", false, validation));
            return Stop(DecisionCode.ValidationError, validation);
        }

        checks.Add(new("request parameters", true, $"RoleSessionName \"{input.Parameters.RoleSessionName}\", DurationSeconds {input.Parameters.DurationSeconds} (role maximum {input.Parameters.MaxSessionDuration})"));

        var issuer = input.Claims.Single("iss");
        if (issuer is null)
        {
            checks.Add(new("issuer", false, "the token has no iss claim"));
            return Stop(DecisionCode.InvalidIdentityToken, StsMessages.MissingClaim("iss"));
        }

        var provider = input.Providers.FirstOrDefault(p => string.Equals(p.Url, issuer, StringComparison.Ordinal));
        if (provider is null)
        {
            checks.Add(new("issuer", false, $"no OIDC provider of the account has the URL \"{issuer}\" (the match is exact: scheme, case, path and trailing slash count); providers: {string.Join(", ", input.Providers.Select(p => p.Url))}"));
            return Stop(DecisionCode.InvalidIdentityToken, StsMessages.NoProvider(issuer));
        }

        checks.Add(new("issuer", true, $"iss \"{issuer}\" is the provider {provider.Arn(input.Account)}"));

        var audiences = input.Claims.Values("aud");
        if (audiences is null || audiences.Count == 0)
        {
            checks.Add(new("audience", false, "the token has no aud claim"));
            return Stop(DecisionCode.InvalidIdentityToken, StsMessages.MissingClaim("aud"));
        }

        if (!audiences.Any(a => provider.ClientIds.Contains(a, StringComparer.Ordinal)))
        {
            checks.Add(new("audience", false, $"aud {string.Join(", ", audiences.Select(a => $"\"{a}\""))} is not in the provider's client-ID list [{string.Join(", ", provider.ClientIds.Select(c => $"\"{c}\""))}]"));
            return Stop(DecisionCode.InvalidIdentityToken, StsMessages.IncorrectAudience);
        }

        checks.Add(new("audience", true, $"aud is in the client-ID list [{string.Join(", ", provider.ClientIds.Select(c => $"\"{c}\""))}]"));

        if (CheckTimes(input, checks) is { } timeFailure)
        {
            return timeFailure with { Checks = checks };
        }

        var providerArn = provider.Arn(input.Account);
        var context = WebIdentityKeys.BuildContext(provider, input.Claims, input.Now);
        var assume = PolicyEvaluator.Evaluate(input.Policy, providerArn, AssumeAction, context);
        var evaluations = new List<PolicyEvaluation> { assume };
        if (assume.Allowed && input.Claims.Has(WebIdentityKeys.SessionTagsClaim))
        {
            // Tags in the token are a TagSession request, which the trust policy must allow as well.
            var tagSession = PolicyEvaluator.Evaluate(input.Policy, providerArn, TagSessionAction, context);
            evaluations.Add(tagSession);
            if (!tagSession.Allowed)
            {
                return new(DecisionCode.AccessDenied, $"Not authorized to perform {TagSessionAction}", checks, evaluations);
            }
        }

        return assume.Allowed
            ? new(DecisionCode.Allow, "AssumeRoleWithWebIdentity succeeded: temporary credentials would be issued", checks, evaluations)
            : new(DecisionCode.AccessDenied, $"Not authorized to perform {AssumeAction}", checks, evaluations);
    }

    private static StsDecision? CheckTimes(SimulationInput input, List<TokenCheck> checks)
    {
        var now = input.Now.ToUnixTimeSeconds();
        var skew = (long)ClockSkew.TotalSeconds;
        if (input.Claims.Seconds("exp") is not { } exp)
        {
            checks.Add(new("expiry", false, "the token has no numeric exp claim"));
            return new(DecisionCode.InvalidIdentityToken, StsMessages.MissingClaim("exp"), [], []);
        }

        if (now > exp + skew)
        {
            checks.Add(new("expiry", false, $"exp {Format(exp)} plus the five-minute skew is before now {Format(now)}"));
            return new(DecisionCode.ExpiredTokenException, StsMessages.TokenExpired(now, exp), [], []);
        }

        checks.Add(new("expiry", true, now > exp
            ? $"exp {Format(exp)} has passed, but by less than the five-minute skew AWS allows"
            : $"valid until {Format(exp)}"));

        // AWS does not document nbf/iat handling; a token that is not valid yet (beyond the skew) is refused.
        if (input.Claims.Seconds("nbf") is { } nbf && nbf > now + skew)
        {
            checks.Add(new("not before", false, $"nbf {Format(nbf)} is more than five minutes after now {Format(now)}"));
            return new(DecisionCode.InvalidIdentityToken, StsMessages.NotYetValid, [], []);
        }

        if (input.Claims.Seconds("iat") is { } iat && iat > now + skew)
        {
            checks.Add(new("issued at", false, $"iat {Format(iat)} is more than five minutes after now {Format(now)}"));
            return new(DecisionCode.InvalidIdentityToken, StsMessages.IssuedInFuture, [], []);
        }

        return null;
    }

    /// <summary>The request validation STS performs before it looks at the token; null when valid.</summary>
    public static string? ValidateParameters(AssumeRoleParameters parameters)
    {
        var name = parameters.RoleSessionName;
        if (name.Length is < 2 or > 64)
        {
            return $"1 validation error detected: Value '{name}' at 'roleSessionName' failed to satisfy constraint: Member must have length {(name.Length < 2 ? "greater than or equal to 2" : "less than or equal to 64")}";
        }

        if (!SessionNamePattern().IsMatch(name))
        {
            return $"1 validation error detected: Value '{name}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*";
        }

        if (parameters.DurationSeconds < MinDurationSeconds)
        {
            return $"1 validation error detected: Value '{parameters.DurationSeconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to {MinDurationSeconds}";
        }

        return parameters.DurationSeconds > parameters.MaxSessionDuration
            ? StsMessages.DurationExceedsMaximum
            : null;
    }

    private static string Format(long seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    // AWS's pattern [\w+=,.@-]* with \w as ASCII word characters.
    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]*$")]
    private static partial Regex SessionNamePattern();
}
