using System.Collections.Concurrent;
using System.Globalization;
using Keyless.Core.Configuration;
using Keyless.Identity;
using Keyless.Local.Cloud;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Local.Sts;

/// <summary>The parameters of one AssumeRoleWithWebIdentity request, as sent in the form body.</summary>
public sealed record WebIdentityRequest(string? RoleArn, string? RoleSessionName, string? WebIdentityToken, string? DurationSeconds)
{
    public static WebIdentityRequest From(IReadOnlyDictionary<string, string> form) => new(
        form.GetValueOrDefault("RoleArn"), form.GetValueOrDefault("RoleSessionName"), form.GetValueOrDefault("WebIdentityToken"), form.GetValueOrDefault("DurationSeconds"));
}

/// <summary>What the local STS decided, with Keyless's explanation (never the token).</summary>
public sealed record LocalStsDecision(string? RoleArn, string? Subject, DecisionCode Code, string Message, string Detail)
{
    public bool Allowed => Code == DecisionCode.Allow;
}

/// <summary>
/// Decides an AssumeRoleWithWebIdentity request the way AWS does: request validation, the OIDC provider
/// for the token's issuer and its client IDs from IAM, the token verified against the issuer's JWKS, then
/// the role's trust policy (from IAM) judged by the trust engine. IAM reads are cached for a short time,
/// like IAM's own propagation delay, so a warm local STS adds little to each call.
/// </summary>
public sealed class LocalStsJudge(IamQueryClient iam, IdTokenVerifier verifier, TimeProvider time, TimeSpan iamCacheTtl, bool gitLabComKeys = false)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, object? Value)> _cache = new(StringComparer.Ordinal);

    public void ClearCache() => _cache.Clear();

    public async Task<LocalStsDecision> DecideAsync(WebIdentityRequest request, CancellationToken cancellationToken)
    {
        if (Missing(request) is { } missing)
        {
            return Refuse(request, null, DecisionCode.ValidationError, $"1 validation error detected: Value null at '{missing}' failed to satisfy constraint: Member must not be null", "a required parameter is missing");
        }

        if (ParseRoleArn(request.RoleArn!) is not { } role)
        {
            return Refuse(request, null, DecisionCode.ValidationError, $"1 validation error detected: Value '{request.RoleArn}' at 'roleArn' failed to satisfy constraint: Member must be a role ARN", "RoleArn is not arn:aws:iam::ACCOUNT:role/NAME");
        }

        var duration = request.DurationSeconds is null ? 3600 : int.TryParse(request.DurationSeconds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : -1;
        var iamRole = await CachedAsync($"role:{role.Name}", () => iam.GetRoleAsync(role.Name, cancellationToken));
        var parameters = new AssumeRoleParameters(request.RoleSessionName!, duration, iamRole?.MaxSessionDuration ?? 3600);
        if (StsSimulator.ValidateParameters(parameters) is { } invalid)
        {
            return Refuse(request, null, DecisionCode.ValidationError, invalid, "request validation");
        }

        var token = IdToken.TryDecode(request.WebIdentityToken!, out var problem);
        var subject = token?.Claims.Single("sub");
        if (token is null)
        {
            return Refuse(request, null, DecisionCode.InvalidIdentityToken, StsMessages.CouldNotValidate, problem ?? "the token cannot be decoded");
        }

        var issuer = token.Claims.Single("iss") ?? "";
        var provider = await FindProviderAsync(role.Account, issuer, cancellationToken);
        if (provider is null)
        {
            return Refuse(request, subject, DecisionCode.InvalidIdentityToken, StsMessages.NoProvider(issuer), $"account {role.Account} has no IAM OIDC provider for the issuer \"{issuer}\"");
        }

        var verification = await verifier.VerifyAsync(request.WebIdentityToken!, provider, cancellationToken: cancellationToken);
        if (!verification.Valid)
        {
            return Refuse(request, subject, verification.Error!.Value, verification.Message, verification.Detail);
        }

        if (iamRole is null)
        {
            return Refuse(request, subject, DecisionCode.AccessDenied, $"Not authorized to perform {StsSimulator.AssumeAction}", $"the role {role.Name} does not exist in account {role.Account}");
        }

        var policy = PolicyParser.Parse($"trust policy of {iamRole.Name}", iamRole.TrustPolicy);
        var decision = StsSimulator.Simulate(new SimulationInput(policy, verification.Claims!, [provider], role.Account, time.GetUtcNow(), parameters));
        return decision.Allowed
            ? new LocalStsDecision(request.RoleArn, subject, DecisionCode.Allow, decision.Message, $"{iamRole.Name} trusts {subject}")
            : Refuse(request, subject, decision.Code, decision.Message, decision.Why());
    }

    private async Task<OidcProvider?> FindProviderAsync(string account, string issuer, CancellationToken cancellationToken)
    {
        var prefix = ProviderUrl.StripScheme(issuer);
        var arn = $"arn:aws:iam::{account}:oidc-provider/{prefix}";
        var providers = await CachedAsync<IReadOnlyList<string>>($"providers:{account}", async () => await iam.ListOpenIdConnectProviderArnsAsync(cancellationToken)) ?? [];
        if (!providers.Contains(arn, StringComparer.Ordinal))
        {
            return null;
        }

        var stored = await CachedAsync($"provider:{arn}", () => iam.GetOpenIdConnectProviderAsync(arn, cancellationToken));

        // IAM keeps the URL without its scheme; the token's iss must name it exactly (https on AWS; the
        // local issuer's plain-http loopback URL is accepted only here).
        return stored is null ? null : new OidcProvider(issuer, stored.ClientIds) { HasGitLabComKeys = gitLabComKeys || issuer == WebIdentityKeys.GitLabComIssuer };
    }

    private async Task<T?> CachedAsync<T>(string key, Func<Task<T?>> load)
        where T : class
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var entry) && entry.Expires > now)
        {
            return (T?)entry.Value;
        }

        var value = await load();
        if (iamCacheTtl > TimeSpan.Zero)
        {
            _cache[key] = (now + iamCacheTtl, value);
        }

        return value;
    }

    private static LocalStsDecision Refuse(WebIdentityRequest request, string? subject, DecisionCode code, string message, string detail) =>
        new(request.RoleArn, subject, code, message, detail);

    private static string? Missing(WebIdentityRequest request) =>
        request.RoleArn is null ? "roleArn"
        : request.RoleSessionName is null ? "roleSessionName"
        : request.WebIdentityToken is null ? "webIdentityToken"
        : null;

    private static (string Account, string Name)? ParseRoleArn(string arn)
    {
        var parts = arn.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[5].StartsWith("role/", StringComparison.Ordinal)
            ? (parts[4], parts[5][(parts[5].LastIndexOf('/') + 1)..])
            : null;
    }
}
