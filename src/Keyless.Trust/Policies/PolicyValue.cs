namespace Keyless.Trust.Policies;

/// <summary>One piece of a condition value: literal text, a wildcard, or a policy variable.</summary>
public abstract record ValuePart;

/// <summary>Literal text (escapes such as <c>${*}</c> already turned into their character).</summary>
public sealed record TextPart(string Text) : ValuePart;

/// <summary>IAM's <c>*</c>: any run of characters, including none, crossing <c>/</c> and <c>:</c>.</summary>
public sealed record AnyStringPart : ValuePart;

/// <summary>IAM's <c>?</c>: exactly one character.</summary>
public sealed record AnyCharPart : ValuePart;

/// <summary>A policy variable <c>${key}</c> or <c>${key, 'default'}</c>.</summary>
public sealed record VariablePart(string Key, string? Default) : ValuePart;

/// <summary>
/// A condition value as written in the policy, split into parts. Wildcards are only wildcards for the
/// Like comparisons; for the others they are the literal characters.
/// Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
/// (variables only with Version 2012-10-17; <c>${*}</c>, <c>${?}</c>, <c>${$}</c> are escapes).
/// </summary>
public sealed record PolicyValue(string Raw, IReadOnlyList<ValuePart> Parts)
{
    public bool HasVariables => Parts.Any(p => p is VariablePart);

    public bool HasWildcards => Parts.Any(p => p is AnyStringPart or AnyCharPart);

    public static PolicyValue Parse(string raw, bool wildcards, bool variables)
    {
        var parts = new List<ValuePart>();
        var text = new System.Text.StringBuilder();
        void Flush()
        {
            if (text.Length > 0)
            {
                parts.Add(new TextPart(text.ToString()));
                text.Clear();
            }
        }

        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (variables && c == '$' && i + 1 < raw.Length && raw[i + 1] == '{')
            {
                var end = raw.IndexOf('}', i + 2);
                if (end > 0)
                {
                    var inner = raw[(i + 2)..end];
                    if (inner is "*" or "?" or "$")
                    {
                        text.Append(inner);
                    }
                    else
                    {
                        Flush();
                        parts.Add(ParseVariable(inner));
                    }

                    i = end;
                    continue;
                }
            }

            if (wildcards && c == '*')
            {
                Flush();
                parts.Add(new AnyStringPart());
            }
            else if (wildcards && c == '?')
            {
                Flush();
                parts.Add(new AnyCharPart());
            }
            else
            {
                text.Append(c);
            }
        }

        Flush();
        return new PolicyValue(raw, parts);
    }

    private static VariablePart ParseVariable(string inner)
    {
        var comma = inner.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return new VariablePart(inner.Trim(), null);
        }

        var key = inner[..comma].Trim();
        var fallback = inner[(comma + 1)..].Trim();
        if (fallback.Length >= 2 && fallback[0] == '\'' && fallback[^1] == '\'')
        {
            fallback = fallback[1..^1];
        }

        return new VariablePart(key, fallback);
    }

    /// <summary>Replaces variables by their values; null when a variable has no value and no default.</summary>
    public IReadOnlyList<ValuePart>? Resolve(Func<string, string?> lookup)
    {
        if (!HasVariables)
        {
            return Parts;
        }

        var resolved = new List<ValuePart>(Parts.Count);
        foreach (var part in Parts)
        {
            if (part is VariablePart variable)
            {
                var value = lookup(variable.Key) ?? variable.Default;
                if (value is null)
                {
                    return null;
                }

                resolved.Add(new TextPart(value));
            }
            else
            {
                resolved.Add(part);
            }
        }

        return resolved;
    }
}
