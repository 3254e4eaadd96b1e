namespace Keyless.Trust.Policies;

/// <summary>The type family of an IAM condition operator; it decides how values are compared.</summary>
public enum OperatorFamily
{
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

/// <summary>How a request value is compared with a policy value within a family.</summary>
public enum Comparison
{
    Equals,
    Like,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

/// <summary>The ForAnyValue / ForAllValues qualifiers for multivalued keys.</summary>
public enum SetQualifier
{
    None,
    ForAnyValue,
    ForAllValues,
}

/// <summary>
/// A parsed condition operator such as <c>ForAllValues:StringNotLikeIfExists</c>.
/// Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
/// </summary>
public sealed record ConditionOperator(
    string Name,
    OperatorFamily Family,
    Comparison Comparison,
    bool Negated,
    bool IgnoreCase,
    SetQualifier Qualifier,
    bool IfExists)
{
    private static readonly Dictionary<string, (OperatorFamily Family, Comparison Comparison, bool Negated, bool IgnoreCase)> BaseOperators =
        new(StringComparer.Ordinal)
        {
            ["StringEquals"] = (OperatorFamily.String, Comparison.Equals, false, false),
            ["StringNotEquals"] = (OperatorFamily.String, Comparison.Equals, true, false),
            ["StringEqualsIgnoreCase"] = (OperatorFamily.String, Comparison.Equals, false, true),
            ["StringNotEqualsIgnoreCase"] = (OperatorFamily.String, Comparison.Equals, true, true),
            ["StringLike"] = (OperatorFamily.String, Comparison.Like, false, false),
            ["StringNotLike"] = (OperatorFamily.String, Comparison.Like, true, false),
            ["NumericEquals"] = (OperatorFamily.Numeric, Comparison.Equals, false, false),
            ["NumericNotEquals"] = (OperatorFamily.Numeric, Comparison.Equals, true, false),
            ["NumericLessThan"] = (OperatorFamily.Numeric, Comparison.LessThan, false, false),
            ["NumericLessThanEquals"] = (OperatorFamily.Numeric, Comparison.LessThanEquals, false, false),
            ["NumericGreaterThan"] = (OperatorFamily.Numeric, Comparison.GreaterThan, false, false),
            ["NumericGreaterThanEquals"] = (OperatorFamily.Numeric, Comparison.GreaterThanEquals, false, false),
            ["DateEquals"] = (OperatorFamily.Date, Comparison.Equals, false, false),
            ["DateNotEquals"] = (OperatorFamily.Date, Comparison.Equals, true, false),
            ["DateLessThan"] = (OperatorFamily.Date, Comparison.LessThan, false, false),
            ["DateLessThanEquals"] = (OperatorFamily.Date, Comparison.LessThanEquals, false, false),
            ["DateGreaterThan"] = (OperatorFamily.Date, Comparison.GreaterThan, false, false),
            ["DateGreaterThanEquals"] = (OperatorFamily.Date, Comparison.GreaterThanEquals, false, false),
            ["Bool"] = (OperatorFamily.Bool, Comparison.Equals, false, false),
            ["BinaryEquals"] = (OperatorFamily.Binary, Comparison.Equals, false, false),
            ["IpAddress"] = (OperatorFamily.IpAddress, Comparison.Equals, false, false),
            ["NotIpAddress"] = (OperatorFamily.IpAddress, Comparison.Equals, true, false),
            ["ArnEquals"] = (OperatorFamily.Arn, Comparison.Like, false, false),
            ["ArnLike"] = (OperatorFamily.Arn, Comparison.Like, false, false),
            ["ArnNotEquals"] = (OperatorFamily.Arn, Comparison.Like, true, false),
            ["ArnNotLike"] = (OperatorFamily.Arn, Comparison.Like, true, false),
            ["Null"] = (OperatorFamily.Null, Comparison.Equals, false, false),
        };

    /// <summary>
    /// Whether IAM substitutes policy variables in this operator's values; elsewhere <c>${…}</c> is literal text.
    /// "You can't use a policy variable with the Number, Date, Boolean, Binary, IP Address, or Null operators"
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html), but the condition
    /// operators page lists Bool among the operators that support policy variables
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean).
    /// Keyless substitutes in Bool: of the two readings it is the one that admits more, so an audit never
    /// under-reports, and <c>trust check</c> warns about it (see docs/aws-semantics.md).
    /// </summary>
    public bool TakesPolicyVariables => Family is OperatorFamily.String or OperatorFamily.Arn or OperatorFamily.Bool;

    /// <summary>Every base operator name, for error messages and documentation.</summary>
    public static IReadOnlyCollection<string> KnownNames => BaseOperators.Keys;

    /// <summary>Parses an operator name; operator names are case-sensitive in IAM. Returns null when unknown.</summary>
    public static ConditionOperator? TryParse(string name)
    {
        var rest = name;
        var qualifier = SetQualifier.None;
        if (rest.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAnyValue;
            rest = rest["ForAnyValue:".Length..];
        }
        else if (rest.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAllValues;
            rest = rest["ForAllValues:".Length..];
        }

        var ifExists = false;
        if (rest.EndsWith("IfExists", StringComparison.Ordinal) && rest != "IfExists")
        {
            ifExists = true;
            rest = rest[..^"IfExists".Length];
        }

        if (!BaseOperators.TryGetValue(rest, out var op))
        {
            return null;
        }

        // "Null with if exists" is refused by IAM (Access Analyzer error); so is a set qualifier on Null.
        if (op.Family == OperatorFamily.Null && (ifExists || qualifier != SetQualifier.None))
        {
            return null;
        }

        return new ConditionOperator(name, op.Family, op.Comparison, op.Negated, op.IgnoreCase, qualifier, ifExists);
    }
}
