using Keyless.Core.Findings;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Analysis;

/// <summary>
/// Findings for conditions whose outcome rests on a rule the AWS documentation states in a surprising way, or
/// contradicts, or leaves open: policy variables in operators that take none, and an operator without a set
/// qualifier on the multivalued <c>amr</c> key. docs/aws-semantics.md explains each with its source.
/// </summary>
internal static class SemanticChoiceFindings
{
    public static IEnumerable<Finding> For(PolicyDocument policy)
    {
        foreach (var condition in policy.Statements.SelectMany(s => s.Conditions))
        {
            var op = condition.Operator;
            if (policy.VariablesEnabled && condition.Values.FirstOrDefault(v => v.Raw.Contains("${", StringComparison.Ordinal)) is { } written)
            {
                if (!op.TakesPolicyVariables && op.Family != OperatorFamily.Null)
                {
                    var outcome = op.Negated ? "holds for every request" : op.IfExists ? "holds only when the key is absent" : "can never match";
                    yield return new(Rules.VariableNotSubstituted, Severity.Error,
                        $"{op.Name} {condition.Key} \"{written.Raw}\": IAM substitutes no policy variable in {op.Family} operators, so the value is compared as the literal text \"{written.Raw}\" and the condition {outcome}.",
                        "Compare the claim with a String operator (StringEquals takes policy variables), or write the value itself.", condition.Path);
                }
                else if (op.Family == OperatorFamily.Bool)
                {
                    yield return new(Rules.VariableInBool, Severity.Warning,
                        $"{op.Name} {condition.Key} \"{written.Raw}\": the AWS documentation both lists Bool among the operators that take policy variables and says Boolean operators take none. Keyless substitutes the variable; if IAM compares the literal text instead, the condition {(op.IfExists ? "holds only when the key is absent" : "never matches")}.",
                        "Compare the two keys with StringEquals, whose policy variables the documentation agrees on.", condition.Path);
                }
            }

            if (op.Qualifier == SetQualifier.None && op.Family != OperatorFamily.Null && condition.Key.EndsWith(":amr", StringComparison.OrdinalIgnoreCase))
            {
                yield return new(Rules.AmrWithoutSetOperator, Severity.Warning,
                    $"{op.Name} {condition.Key}: amr is multivalued, and AWS says multivalued keys need ForAnyValue or ForAllValues but not what happens without one. Keyless matches when any value matches (negated: when none does); for a token that carries amr, another reading denies. GitLab ID tokens carry no amr, so for them the missing-key rule decides.",
                    $"Say which you mean: ForAnyValue:{op.Name} (any value) or ForAllValues:{op.Name} (every value).", condition.Path);
            }
        }
    }
}
