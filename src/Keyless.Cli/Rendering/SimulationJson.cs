using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Cli.Rendering;

/// <summary>The JSON shape of <c>keyless trust simulate --format json</c> (a stable contract).</summary>
public static class SimulationJson
{
    public static object From(RoleTrust role, StsDecision decision) => new
    {
        role = role.Name,
        decision = decision.Code.ToString(),
        message = decision.Message,
        httpStatus = decision.HttpStatus,
        checks = decision.Checks.Select(c => new { name = c.Name, passed = c.Passed, detail = c.Detail }),
        evaluations = decision.Evaluations.Select(e => new
        {
            action = e.Action,
            allowed = e.Allowed,
            explicitDeny = e.ExplicitDeny,
            statements = e.Statements.Select(s => new
            {
                path = s.Statement.Path,
                sid = s.Statement.Sid,
                effect = s.Statement.Effect.ToString(),
                applies = s.Applies,
                principalMatched = s.PrincipalMatched,
                actionMatched = s.ActionMatched,
                conditions = s.Conditions.Select(c => new
                {
                    @operator = c.Condition.Operator.Name,
                    key = c.Condition.Key,
                    policyValues = c.Condition.Values.Select(v => v.Raw),
                    requestValues = c.RequestValues,
                    satisfied = c.Satisfied,
                    reason = c.Reason,
                }),
            }),
        }),
    };
}
