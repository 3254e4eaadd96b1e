using System.Globalization;
using System.Net;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Evaluation;

/// <summary>The result of one condition, with the request's values and a sentence that says why.</summary>
public sealed record ConditionResult(Condition Condition, IReadOnlyList<string>? RequestValues, bool Satisfied, string Reason);

/// <summary>
/// Evaluates one condition (one operator, one key) the way IAM does.
/// Sources: reference_policies_elements_condition_operators.html, reference_policies_multi-value-conditions.html,
/// reference_policies_condition-single-vs-multi-valued-context-keys.html, reference_policies_variables.html.
/// </summary>
public static class ConditionEvaluator
{
    public static ConditionResult Evaluate(Condition condition, RequestContext context, bool variablesEnabled)
    {
        var op = condition.Operator;
        var present = context.Get(condition.Key);
        var values = present?.Values;
        var policyValues = string.Join(", ", condition.Values.Select(v => $"\"{v.Raw}\""));

        if (op.Family == OperatorFamily.Null)
        {
            var isAbsent = present is null || values!.Count == 0;
            var wanted = condition.Values.Select(v => v.Raw == "true").ToList();
            var satisfied = wanted.Contains(isAbsent);
            return new(condition, values, satisfied, isAbsent
                ? $"the key is absent from the request; Null {policyValues} {(satisfied ? "asks for that" : "asks for it to be present")}"
                : $"the key is present; Null {policyValues} {(satisfied ? "asks for that" : "asks for it to be absent")}");
        }

        if (present is null || values!.Count == 0)
        {
            var (result, why) = op switch
            {
                // ForAnyValue needs a value to match, so IfExists cannot make an absent key match under it;
                // see docs/aws-semantics.md ("ForAnyValue with IfExists").
                { Qualifier: SetQualifier.ForAnyValue } => (false, "the key is absent, and ForAnyValue is false for an absent key (also with …IfExists)"),
                { IfExists: true } => (true, "the key is absent, and …IfExists makes an absent key match"),
                { Qualifier: SetQualifier.ForAllValues } => (true, "the key is absent, and ForAllValues is true for an absent key (vacuous)"),
                { Negated: true } => (true, "the key is absent, and a negated operator is true for an absent key"),
                _ => (false, "the key is absent from the request context, so the condition cannot match"),
            };
            return new(condition, null, result, why);
        }

        // ForAllValues "also returns true … if the context key value resolves to a null dataset, such as an empty string".
        // Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
        if (op.Qualifier == SetQualifier.ForAllValues && values.All(v => v.Length == 0))
        {
            return new(condition, values, true, "the key's value is an empty string, a null dataset, and ForAllValues is true for it (vacuous)");
        }

        var resolved = condition.Values
            .Select(v => variablesEnabled ? v.Resolve(context.Variable) : v.Parts)
            .ToList();

        bool MatchesAny(string requestValue) => resolved.Any(parts => parts is not null && Matches(op, requestValue, parts));

        bool outcome;
        if (op.Qualifier == SetQualifier.ForAllValues)
        {
            outcome = values.All(v => op.Negated ? !MatchesAny(v) : MatchesAny(v));
        }
        else if (op.Qualifier == SetQualifier.ForAnyValue || present.MultiValued)
        {
            outcome = op.Negated
                ? (op.Qualifier == SetQualifier.ForAnyValue ? values.Any(v => !MatchesAny(v)) : !values.Any(MatchesAny))
                : values.Any(MatchesAny);
        }
        else
        {
            // Negated operators with several values: the request value may match none of them.
            outcome = op.Negated ? !MatchesAny(values[0]) : MatchesAny(values[0]);
        }

        var shown = values.Count == 1 ? $"\"{values[0]}\"" : "[" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "]";
        var unresolved = resolved.Count(r => r is null);
        var note = unresolved > 0 ? $" ({unresolved} value(s) name a policy variable with no value in this request and match nothing)" : "";
        var verdict = (op.Negated, outcome) switch
        {
            (false, true) => $"{shown} matches {(condition.Values.Count == 1 ? policyValues : "one of " + policyValues)}",
            (false, false) => $"{shown} matches none of {policyValues}",
            (true, true) => $"{shown} matches none of the excluded {policyValues}",
            (true, false) => $"{shown} matches the excluded {policyValues}",
        };
        return new(condition, values, outcome, verdict + note);
    }

    /// <summary>Compares one request value with one resolved policy value.</summary>
    public static bool Matches(ConditionOperator op, string requestValue, IReadOnlyList<ValuePart> policy)
    {
        var text = string.Concat(policy.Select(p => p switch
        {
            TextPart t => t.Text,
            AnyStringPart => "*",
            AnyCharPart => "?",
            _ => "",
        }));

        return op.Family switch
        {
            OperatorFamily.String when op.Comparison == Comparison.Like => Glob.Matches(policy, requestValue, ignoreCase: false),
            OperatorFamily.String => string.Equals(requestValue, text, op.IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal),
            OperatorFamily.Numeric => decimal.TryParse(requestValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
                && Compare(op.Comparison, a.CompareTo(b)),
            OperatorFamily.Date => TryDate(requestValue, out var x) && TryDate(text, out var y) && Compare(op.Comparison, x.CompareTo(y)),
            OperatorFamily.Bool => bool.TryParse(requestValue, out var p) && bool.TryParse(text, out var q) && p == q,
            OperatorFamily.Binary => string.Equals(requestValue, text, StringComparison.Ordinal),
            OperatorFamily.IpAddress => IPAddress.TryParse(requestValue, out var ip) && IPNetwork.TryParse(text.Contains('/', StringComparison.Ordinal) ? text : text + (text.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"), out var net) && net.Contains(ip),
            OperatorFamily.Arn => ArnMatches(policy, requestValue),
            _ => false,
        };
    }

    private static bool Compare(Comparison comparison, int order) => comparison switch
    {
        Comparison.Equals => order == 0,
        Comparison.LessThan => order < 0,
        Comparison.LessThanEquals => order <= 0,
        Comparison.GreaterThan => order > 0,
        Comparison.GreaterThanEquals => order >= 0,
        _ => false,
    };

    // Dates are ISO 8601 or seconds since the epoch.
    private static bool TryDate(string text, out DateTimeOffset value)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch))
        {
            value = DateTimeOffset.FromUnixTimeSeconds(epoch);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    // ArnLike/ArnEquals compare each of the six colon-separated components on its own, with wildcards.
    private static bool ArnMatches(IReadOnlyList<ValuePart> policy, string requestValue)
    {
        var patternText = string.Concat(policy.Select(p => p switch { TextPart t => t.Text, AnyStringPart => "*", AnyCharPart => "?", _ => "" }));
        var pattern = patternText.Split(':', 6);
        var value = requestValue.Split(':', 6);
        return pattern.Length == 6 && value.Length == 6 && pattern.Zip(value).All(pair => Glob.Matches(pair.First, pair.Second));
    }
}
