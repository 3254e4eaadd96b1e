using System.Text;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Identity.Exchange;

/// <summary>
/// Says why AWS answered AccessDenied, by running the role's trust policy through <see cref="StsSimulator"/>
/// with the token's claims: which statement and which condition failed, the token's value, the expected
/// pattern, and a fix. The provider is taken to be the token's <c>iss</c> with its <c>aud</c> as client ID,
/// since AWS got past those checks to answer AccessDenied.
/// </summary>
public static class DenialExplainer
{
    public static string Explain(RoleTrust trust, IdToken token, RoleArn role, DateTimeOffset now, AssumeRoleParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(role);
        var claims = token.Claims;
        var issuer = claims.Single("iss");
        var audiences = claims.Values("aud");
        var where = $"{trust.Source} (role {trust.Name})";
        if (issuer is null || audiences is not { Count: > 0 })
        {
            return $"The token has no {(issuer is null ? "iss" : "aud")} claim, so {where} cannot be evaluated against it; AWS needs both to find the OIDC provider.";
        }

        var provider = new OidcProvider(issuer, audiences);
        var decision = StsSimulator.Simulate(new SimulationInput(trust.Policy, claims, [provider], role.Account, now, parameters));
        var text = new StringBuilder();
        switch (decision.Code)
        {
            case DecisionCode.AccessDenied:
                text.Append($"Why, from {where} evaluated locally for provider {provider.Arn(role.Account)}:");
                foreach (var evaluation in decision.Evaluations.Where(e => !e.Allowed))
                {
                    DescribeDenial(text, evaluation, provider, role.Account);
                }

                break;
            case DecisionCode.Allow:
                text.Append($"{where} allows this token when evaluated locally, so the trust policy AWS holds for {role.Name} is probably a different one. ")
                    .Append($"Compare it with `aws iam get-role --role-name {role.Name}` (or pass that output as --policy). ")
                    .Append("Other causes AWS reports as AccessDenied: an Organizations resource control policy, or session tags in the token without sts:TagSession.");
                break;
            default:
                text.Append($"{where} evaluated locally gives {decision.Code}: {decision.Message}.");
                foreach (var check in decision.Checks.Where(c => !c.Passed))
                {
                    text.Append($"\n  ✗ {check.Name}: {check.Detail}");
                }

                break;
        }

        return text.ToString();
    }

    private static void DescribeDenial(StringBuilder text, PolicyEvaluation evaluation, OidcProvider provider, string account)
    {
        var statements = evaluation.Statements;
        if (evaluation.ExplicitDeny)
        {
            foreach (var deny in statements.Where(s => s.Statement.Effect == Effect.Deny && s.Applies))
            {
                text.Append($"\n  ✗ Deny {deny.Statement.Label} applies to this token, and an explicit Deny always wins.");
                foreach (var condition in deny.Conditions)
                {
                    text.Append($"\n      {condition.Condition}: {condition.Reason}");
                }

                text.Append("\n    fix: narrow or remove this Deny if this job should be admitted; otherwise run the job from a project and ref the Deny does not cover.");
            }

            return;
        }

        var allows = statements.Where(s => s.Statement.Effect == Effect.Allow).ToList();
        if (allows.Count == 0)
        {
            text.Append($"\n  ✗ no statement allows {evaluation.Action}: the policy has no Allow statement.");
            return;
        }

        text.Append($"\n  no Allow statement applies to {evaluation.Action} (implicit deny):");
        foreach (var allow in allows)
        {
            text.Append($"\n  Allow {allow.Statement.Label} does not apply:");
            if (!allow.PrincipalMatched)
            {
                var named = string.Join(", ", allow.Statement.Principal.Federated.Concat(allow.Statement.Principal.Others));
                text.Append($"\n    ✗ Principal names {(named.Length == 0 ? "no federated provider" : named)}, not {provider.Arn(account)}")
                    .Append($"\n      fix: set \"Principal\": {{\"Federated\": \"{provider.Arn(account)}\"}} (the token's iss is \"{provider.Url}\").");
            }

            if (!allow.ActionMatched)
            {
                text.Append($"\n    ✗ {(allow.Statement.Actions.Negated ? "NotAction" : "Action")} [{string.Join(", ", allow.Statement.Actions.Patterns)}] does not cover {evaluation.Action}")
                    .Append($"\n      fix: add \"{evaluation.Action}\" to the statement's Action.");
            }

            foreach (var condition in allow.Conditions.Where(c => !c.Satisfied))
            {
                text.Append($"\n    ✗ {condition.Condition}: {condition.Reason}")
                    .Append($"\n      fix: {Fix(condition, provider)}");
            }
        }
    }

    private static string Fix(ConditionResult result, OidcProvider provider)
    {
        var condition = result.Condition;
        var op = condition.Operator;
        var claim = WebIdentityKeys.ClaimOf(provider, condition.Key);
        var expected = string.Join(" or ", condition.Values.Select(v => $"\"{v.Raw}\""));

        if (result.RequestValues is not { Count: > 0 } values)
        {
            if (claim is null)
            {
                return $"{condition.Key} belongs to another provider than the token's ({provider.KeyPrefix}); use {provider.KeyPrefix}:… keys for tokens from {provider.Url}.";
            }

            return WebIdentityKeys.ClaimsFor(provider).Contains(claim, StringComparer.Ordinal)
                ? $"the token has no {claim} claim; condition on a claim every job's token carries, such as {provider.KeyPrefix}:sub."
                : $"AWS does not put {claim} into the request for tokens from {provider.Url} (only {string.Join(", ", WebIdentityKeys.ClaimsFor(provider))}), so this condition can never match; condition on {provider.KeyPrefix}:sub instead.";
        }

        if (op is { Family: OperatorFamily.String, Comparison: Comparison.Equals, Negated: false } && condition.Values.Any(v => v.Raw.Contains('*', StringComparison.Ordinal) || v.Raw.Contains('?', StringComparison.Ordinal)))
        {
            return $"{op.Name} compares literally, so * and ? are not wildcards here; use StringLike for {expected}.";
        }

        if (op is { Family: OperatorFamily.String, IgnoreCase: false, Negated: false }
            && values.Any(v => condition.Values.Any(p => string.Equals(p.Raw, v, StringComparison.OrdinalIgnoreCase))))
        {
            return $"the values differ only in letter case, and {op.Name} is case-sensitive: write the value exactly as the token has it.";
        }

        if (op.Negated)
        {
            return $"this condition excludes the token's value; run the job from a project and ref it does not exclude, or narrow the excluded values {expected}.";
        }

        if (claim == "ref_protected")
        {
            return "run the job on a protected branch or tag (Settings > Repository > Protected branches/tags), or, if unprotected refs should be admitted, drop this condition; then check with `keyless trust check` that the policy admits no more than you mean.";
        }

        var name = claim ?? condition.Key;
        var admit = claim == "sub"
            ? "add the token's sub to the condition's values (keep it as narrow as one project and ref)"
            : $"add the token's value to the condition's values";
        return $"run the job where {name} is {expected}{(claim == "sub" ? " (the project and ref the policy names)" : "")}, or, if this job should be admitted, {admit}; then check with `keyless trust check` that the policy admits no more than you mean.";
    }
}
