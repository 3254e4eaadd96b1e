namespace Keyless.Trust.Evaluation;

/// <summary>The outcomes of AssumeRoleWithWebIdentity, named as AWS names its error codes.</summary>
public enum DecisionCode
{
    Allow,
    AccessDenied,
    InvalidIdentityToken,
    ExpiredTokenException,
    ValidationError,
}

/// <summary>One step of the token checks STS makes before it reads the trust policy.</summary>
public sealed record TokenCheck(string Name, bool Passed, string Detail);

/// <summary>The decision, AWS's message for it, the token checks and (when reached) the policy evaluations.</summary>
public sealed record StsDecision(
    DecisionCode Code,
    string Message,
    IReadOnlyList<TokenCheck> Checks,
    IReadOnlyList<PolicyEvaluation> Evaluations)
{
    public bool Allowed => Code == DecisionCode.Allow;

    /// <summary>Why it was refused, in one line: the failed conditions, else the failed token check, else the message.</summary>
    public string Why()
    {
        var failed = Evaluations
            .SelectMany(e => e.Statements)
            .Where(s => s.PrincipalMatched && s.ActionMatched)
            .SelectMany(s => s.Conditions.Where(c => !c.Satisfied).Select(c => $"{s.Statement.Label}: {c.Condition} — {c.Reason}"))
            .ToList();
        if (failed.Count > 0)
        {
            return string.Join("; ", failed);
        }

        var check = Checks.FirstOrDefault(c => !c.Passed);
        return check is not null ? $"{check.Name}: {check.Detail}"
            : Evaluations.Count > 0 ? "no statement names this provider as principal and allows the action"
            : Message;
    }

    /// <summary>The HTTP status AWS answers with for this decision.</summary>
    public int HttpStatus => Code switch
    {
        DecisionCode.Allow => 200,
        DecisionCode.AccessDenied => 403,
        _ => 400,
    };
}
