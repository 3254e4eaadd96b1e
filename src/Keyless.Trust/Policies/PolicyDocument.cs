namespace Keyless.Trust.Policies;

/// <summary>A trust policy: the resource-based policy attached to a role that decides who may assume it.</summary>
public sealed record PolicyDocument(string Source, string? Version, IReadOnlyList<Statement> Statements)
{
    /// <summary>Policy variables are only substituted with Version 2012-10-17; otherwise <c>${…}</c> is literal text.</summary>
    public bool VariablesEnabled => Version == "2012-10-17";
}

/// <summary>One statement of a policy, with the JSON path where it was read.</summary>
public sealed record Statement(
    string Path,
    string? Sid,
    Effect Effect,
    PrincipalSet Principal,
    ActionSet Actions,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<string> IamObjections)
{
    public string Label => Sid is { Length: > 0 } ? $"{Path} (Sid \"{Sid}\")" : Path;
}

/// <summary>One key under one operator: <c>"StringLike": { "gitlab.com:sub": [ … ] }</c>.</summary>
public sealed record Condition(string Path, ConditionOperator Operator, string Key, IReadOnlyList<PolicyValue> Values)
{
    public override string ToString() =>
        $"{Operator.Name} {Key} {(Values.Count == 1 ? Quote(Values[0].Raw) : "[" + string.Join(", ", Values.Select(v => Quote(v.Raw))) + "]")}";

    private static string Quote(string s) => "\"" + s + "\"";
}

/// <summary>The Principal element: <c>"*"</c> or principals by type (Federated, AWS, Service, CanonicalUser).</summary>
public sealed record PrincipalSet(bool Anyone, IReadOnlyList<string> Federated, IReadOnlyList<string> Others)
{
    /// <summary>Whether a web-identity caller federated through <paramref name="providerArn"/> is named.</summary>
    public bool AdmitsFederated(string providerArn) =>
        Anyone || Federated.Contains(providerArn, StringComparer.Ordinal);
}

/// <summary>The Action or NotAction element. Matching is case-insensitive with <c>*</c> and <c>?</c> wildcards.</summary>
public sealed record ActionSet(bool Negated, IReadOnlyList<string> Patterns)
{
    public bool Matches(string action)
    {
        var any = Patterns.Any(p => Glob.Matches(p.ToUpperInvariant(), action.ToUpperInvariant()));
        return Negated ? !any : any;
    }
}
