using Keyless.Trust.Automata;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Analysis;

/// <summary>What a condition means for the tokens of one provider.</summary>
internal abstract record CompiledCondition(Condition Condition);

/// <summary>The condition's key is never in the request: it is always true or always false.</summary>
internal sealed record ConstantCondition(Condition Condition, bool Value, string Reason, bool KeyAbsent) : CompiledCondition(Condition);

/// <summary>The condition holds exactly when the claim's value is in the language.</summary>
internal sealed record ClaimCondition(Condition Condition, string Claim, Dfa Language) : CompiledCondition(Condition);

/// <summary>A condition Keyless cannot turn into a language (global keys, numeric ranges, variables naming claims).</summary>
internal sealed record UnmodeledCondition(Condition Condition, string Reason) : CompiledCondition(Condition);

/// <summary>
/// Compiles IAM conditions on web-identity keys into automata over claim values, following the same rules
/// as <see cref="ConditionEvaluator"/>: missing-key semantics, negation, IfExists, set qualifiers, variables.
/// </summary>
internal static class ConditionCompiler
{
    public static CompiledCondition Compile(Condition condition, ClaimSpace space, bool variablesEnabled)
    {
        var op = condition.Operator;
        var claim = ClaimOf(space, condition.Key);
        if (claim is null || !space.IsPresent(claim))
        {
            if (condition.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                return new UnmodeledCondition(condition, $"{condition.Key} is a global key that depends on the request, not on the token");
            }

            var why = claim is null
                ? $"{condition.Key} does not belong to the provider {space.Provider.KeyPrefix}"
                : space.KeyClaims.Contains(claim)
                    ? $"GitLab never puts the claim {claim} in its ID tokens"
                    : $"AWS does not copy the claim {claim} of {space.Provider.Url} tokens into the request context (only {string.Join(", ", space.KeyClaims)})";
            var truth = op.Family == OperatorFamily.Null ? condition.Values.Any(v => v.Raw == "true") : AbsentKeyTruth(op);
            return new ConstantCondition(condition, truth, why, KeyAbsent: true);
        }

        // The key is present in every token of this provider.
        if (op.Family == OperatorFamily.Null)
        {
            var holds = condition.Values.Any(v => v.Raw == "false");
            return new ConstantCondition(condition, holds, $"{condition.Key} is always present in {space.Provider.KeyPrefix} tokens", KeyAbsent: false);
        }

        var alphabet = space.Alphabet;
        var union = Dfa.Empty(alphabet);
        foreach (var value in condition.Values)
        {
            if (ValueLanguage(op, value, space, variablesEnabled) is not { } language)
            {
                return new UnmodeledCondition(condition, $"{op.Name} value \"{value.Raw}\" cannot be turned into a set of claim values");
            }

            union = union.Union(language);
        }

        // On a single-valued key, ForAnyValue/ForAllValues over the one value behave like the plain operator.
        var result = op.Negated ? union.Complement() : union;
        if (op.Qualifier == SetQualifier.ForAllValues)
        {
            // An empty string is a null dataset, for which ForAllValues holds (as in the evaluator).
            result = result.Optional();
        }

        return new ClaimCondition(condition, claim, result.Intersect(space.Domain(claim)).Minimize());
    }

    /// <summary>
    /// The claim a condition key names for this provider. IAM compares condition key names case-insensitively
    /// ("Condition key names are not case-sensitive",
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html), and the
    /// claims AWS copies into the request are lower-case, so <c>GitLab.com:Sub</c> is <c>sub</c>.
    /// </summary>
    public static string? ClaimOf(ClaimSpace space, string key) =>
        WebIdentityKeys.ClaimOf(space.Provider, key)?.ToLowerInvariant();

    /// <summary>
    /// The claim values one value of a condition can match, within what GitLab can send; null when the value
    /// cannot be turned into a language. Empty means the value can never match.
    /// </summary>
    public static Dfa? ValueMatches(Condition condition, PolicyValue value, ClaimSpace space, bool variablesEnabled) =>
        ClaimOf(space, condition.Key) is { } claim && space.IsPresent(claim) && condition.Operator.Family != OperatorFamily.Null
            ? ValueLanguage(condition.Operator, value, space, variablesEnabled)?.Intersect(space.Domain(claim))
            : null;

    /// <summary>IAM's missing-key rules (the same table the evaluator uses).</summary>
    public static bool AbsentKeyTruth(ConditionOperator op) => op switch
    {
        { Qualifier: SetQualifier.ForAnyValue } => false,
        { IfExists: true } => true,
        { Qualifier: SetQualifier.ForAllValues } => true,
        { Negated: true } => true,
        _ => false,
    };

    private static Dfa? ValueLanguage(ConditionOperator op, PolicyValue value, ClaimSpace space, bool variablesEnabled)
    {
        var parts = value.Parts;
        if (variablesEnabled && value.HasVariables)
        {
            // A variable naming a key absent from every request makes the value match nothing; others vary per token.
            foreach (var variable in parts.OfType<VariablePart>())
            {
                var claim = ClaimOf(space, variable.Key);
                var absent = !variable.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) && (claim is null || !space.IsPresent(claim));
                if (!absent)
                {
                    return null;
                }
            }

            var defaults = value.Resolve(_ => null);
            if (defaults is null)
            {
                return Dfa.Empty(space.Alphabet);
            }

            parts = defaults;
        }

        var alphabet = space.Alphabet;
        switch (op.Family)
        {
            case OperatorFamily.String when op.Comparison == Comparison.Like:
                return Dfa.Glob(alphabet, ToGlob(parts));
            case OperatorFamily.String:
                var text = Text(parts);
                return op.IgnoreCase ? Dfa.LiteralIgnoreCase(alphabet, text) : Dfa.Literal(alphabet, text);
            case OperatorFamily.Bool:
                var boolean = Text(parts);
                return bool.TryParse(boolean, out var b) ? Dfa.LiteralIgnoreCase(alphabet, b ? "true" : "false") : Dfa.Empty(alphabet);
            case OperatorFamily.Numeric when !decimal.TryParse(Text(parts), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _):
                // No number (e.g. a policy variable, which Numeric operators leave as text): nothing compares equal,
                // less or greater, as in the evaluator.
                return Dfa.Empty(alphabet);
            case OperatorFamily.Numeric when op.Comparison == Comparison.Equals && ulong.TryParse(Text(parts), out var number):
                // Numeric equality over digit strings: any number of leading zeros, then the number.
                return Dfa.Literal(alphabet, "0").Star().Concat(Dfa.Literal(alphabet, number == 0 ? "" : number.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                    .Intersect(GitLabGrammar.NumericId(alphabet));
            default:
                return null;
        }
    }

    public static IReadOnlyList<GlobToken> ToGlob(IReadOnlyList<ValuePart> parts) =>
        parts.Select(p => p switch
        {
            TextPart t => GlobToken.Literal(t.Text),
            AnyStringPart => GlobToken.AnyString,
            AnyCharPart => GlobToken.AnyChar,
            _ => throw new InvalidOperationException("Resolve policy variables before compiling."),
        }).ToList();

    private static string Text(IReadOnlyList<ValuePart> parts) =>
        string.Concat(parts.Select(p => p switch { TextPart t => t.Text, AnyStringPart => "*", AnyCharPart => "?", _ => "" }));
}
