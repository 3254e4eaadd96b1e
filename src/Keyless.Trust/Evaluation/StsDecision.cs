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

    /// <summary>The HTTP status AWS answers with for this decision.</summary>
    public int HttpStatus => Code switch
    {
        DecisionCode.Allow => 200,
        DecisionCode.AccessDenied => 403,
        _ => 400,
    };
}
