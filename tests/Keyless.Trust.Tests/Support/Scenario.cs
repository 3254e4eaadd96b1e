using Keyless.Core.Configuration;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Tests.Support;

/// <summary>
/// One AssumeRoleWithWebIdentity call: a trust policy, a token, the account's OIDC providers, the request
/// parameters and the clock. Defaults describe a call that is allowed.
/// </summary>
public sealed class Scenario
{
    private readonly List<OidcProvider> _providers;
    private AssumeRoleParameters _parameters = new();
    private DateTimeOffset _now = Tokens.Now;

    private Scenario(TrustPolicy policy, Tokens token, OidcProvider provider)
    {
        Policy = policy;
        Token = token;
        _providers = [provider];
    }

    public TrustPolicy Policy { get; }

    public Tokens Token { get; }

    public IReadOnlyList<OidcProvider> Providers => _providers;

    /// <summary>A gitlab.com token against a gitlab.com trust policy; provider client IDs ["sts.amazonaws.com"].</summary>
    public static Scenario GitLabCom() =>
        new(TrustPolicy.GitLabCom(), Tokens.GitLabCom(), new OidcProvider("https://gitlab.com", [Tokens.Audience]));

    /// <summary>The gitlab.com scenario whose only Condition element is <paramref name="where"/>.</summary>
    public static Scenario GitLabCom(string where) => GitLabCom().WithPolicy(p => p.Condition(where));

    /// <summary>A token of another issuer (self-managed GitLab by default) with its own provider and policy prefix.</summary>
    public static Scenario ForIssuer(string issuer = "https://gitlab.example.com") =>
        new(TrustPolicy.For(ProviderUrl.StripScheme(issuer)), Tokens.FromIssuer(issuer), new OidcProvider(issuer, [Tokens.Audience]));

    public Scenario WithPolicy(Action<TrustPolicy> change)
    {
        change(Policy);
        return this;
    }

    public Scenario WithToken(Action<Tokens> change)
    {
        change(Token);
        return this;
    }

    public Scenario WithProviders(params OidcProvider[] providers)
    {
        _providers.Clear();
        _providers.AddRange(providers);
        return this;
    }

    public Scenario WithParameters(AssumeRoleParameters parameters)
    {
        _parameters = parameters;
        return this;
    }

    /// <summary>Moves the clock and re-issues the token at that time.</summary>
    public Scenario At(DateTimeOffset now)
    {
        _now = now;
        Token.At(now);
        return this;
    }

    public StsDecision Simulate() =>
        StsSimulator.Simulate(new SimulationInput(Policy.Build(), Token.Build(), _providers, TrustPolicy.Account, _now, _parameters));

    /// <summary>The request context STS would build for this token and the first provider.</summary>
    public RequestContext Context() => WebIdentityKeys.BuildContext(_providers[0], Token.Build(), _now);
}

public static class StsDecisionExtensions
{
    /// <summary>The result of the condition on <paramref name="key"/> in the AssumeRoleWithWebIdentity evaluation.</summary>
    public static ConditionResult ConditionOn(this StsDecision decision, string key, int statement = 0) =>
        Assert.Single(decision.Evaluations[0].Statements[statement].Conditions, c => string.Equals(c.Condition.Key, key, StringComparison.Ordinal));

    public static StatementResult Statement(this StsDecision decision, int statement = 0) =>
        decision.Evaluations[0].Statements[statement];
}
