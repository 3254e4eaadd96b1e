using Keyless.Core.Configuration;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Evaluation;

/// <summary>Whether one role (of a template or an environment of the project config) would accept a token, and why not.</summary>
public sealed record RoleAccess(string Role, DecisionCode Decision, string Reason)
{
    public bool Allowed => Decision == DecisionCode.Allow;
}

/// <summary>
/// For a token at hand: which roles or environments would it get, and why not the others — each answered
/// by <see cref="StsSimulator"/> with the role's own trust policy.
/// </summary>
public static class TokenAccess
{
    public static IReadOnlyList<RoleAccess> ForTemplate(TokenClaims claims, TrustDocumentSet set, DateTimeOffset now)
    {
        var providers = set.Providers.Count > 0 ? set.Providers : ProvidersFromToken(claims);
        return set.Roles.Select(role => Decide(role.Name, role.Policy, role.MaxSessionDuration, claims, providers, now)).ToList();
    }

    public static IReadOnlyList<RoleAccess> ForConfig(TokenClaims claims, KeylessConfig config, DateTimeOffset now)
    {
        var set = DeployTrustPolicy.Roles(config);
        return set.Roles.Select(role => Decide(role.Name, role.Policy, role.MaxSessionDuration, claims, set.Providers, now)).ToList();
    }

    private static RoleAccess Decide(string name, PolicyDocument policy, int maxSession, TokenClaims claims, IReadOnlyList<OidcProvider> providers, DateTimeOffset now)
    {
        var account = policy.FederatedAccount() ?? TrustDocuments.PlaceholderAccount;
        var decision = StsSimulator.Simulate(new SimulationInput(policy, claims, providers, account, now, new AssumeRoleParameters("keyless-inspect", StsSimulator.MinDurationSeconds, maxSession)));
        return new RoleAccess(name, decision.Code, decision.Allowed ? "its trust policy admits this token" : decision.Why());
    }

    // Without a provider list, assume the account trusts the token's issuer for its audience: the question is then the policy alone.
    private static OidcProvider[] ProvidersFromToken(TokenClaims claims) =>
        claims.Single("iss") is { } issuer ? [new OidcProvider(issuer, claims.Values("aud") ?? [])] : [];
}
