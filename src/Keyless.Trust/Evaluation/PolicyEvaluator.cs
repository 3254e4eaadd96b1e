using Keyless.Trust.Policies;

namespace Keyless.Trust.Evaluation;

/// <summary>How one statement fared: does it name the caller, the action, and do all its conditions hold.</summary>
public sealed record StatementResult(
    Statement Statement,
    bool PrincipalMatched,
    bool ActionMatched,
    IReadOnlyList<ConditionResult> Conditions)
{
    public bool Applies => PrincipalMatched && ActionMatched && Conditions.All(c => c.Satisfied);
}

/// <summary>The verdict of a policy for one action: allowed, and whether an explicit Deny decided it.</summary>
public sealed record PolicyEvaluation(string Action, bool Allowed, bool ExplicitDeny, IReadOnlyList<StatementResult> Statements);

/// <summary>
/// IAM's decision for one resource-based policy: implicit deny by default, an applicable Allow allows,
/// an applicable Deny always wins. Source: reference_policies_evaluation-logic.html
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyEvaluation Evaluate(PolicyDocument policy, string federatedProviderArn, string action, RequestContext context)
    {
        var results = policy.Statements.Select(statement => new StatementResult(
                statement,
                statement.Principal.AdmitsFederated(federatedProviderArn),
                statement.Actions.Matches(action),
                statement.Conditions.Select(c => ConditionEvaluator.Evaluate(c, context, policy.VariablesEnabled)).ToList()))
            .ToList();

        var denied = results.Any(r => r.Statement.Effect == Effect.Deny && r.Applies);
        var allowed = !denied && results.Any(r => r.Statement.Effect == Effect.Allow && r.Applies);
        return new PolicyEvaluation(action, allowed, denied, results);
    }
}
