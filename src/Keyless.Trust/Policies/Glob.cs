namespace Keyless.Trust.Policies;

/// <summary>IAM's whole-string wildcard match: <c>*</c> any run (including empty), <c>?</c> one character.</summary>
public static class Glob
{
    private const char AnyString = '\uFFFF';
    private const char AnyChar = '\uFFFE';

    public static bool Matches(string pattern, string value) =>
        Matches(PolicyValue.Parse(pattern, wildcards: true, variables: false).Parts, value, ignoreCase: false);

    /// <summary>Matches resolved parts (no variables) against a value.</summary>
    public static bool Matches(IReadOnlyList<ValuePart> parts, string value, bool ignoreCase)
    {
        var (pattern, isWildcard) = Flatten(parts);

        // Greedy matching that backtracks only to the last '*': enough for IAM's two wildcards.
        int p = 0, v = 0, star = -1, starValue = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && isWildcard[p] && pattern[p] == AnyString)
            {
                star = p++;
                starValue = v;
            }
            else if (p < pattern.Length && (isWildcard[p] || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++starValue;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && isWildcard[p] && pattern[p] == AnyString)
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));

    private static (string Pattern, bool[] IsWildcard) Flatten(IReadOnlyList<ValuePart> parts)
    {
        var text = new System.Text.StringBuilder();
        var wild = new List<bool>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case TextPart t:
                    text.Append(t.Text);
                    wild.AddRange(Enumerable.Repeat(false, t.Text.Length));
                    break;
                case AnyStringPart:
                    text.Append(AnyString);
                    wild.Add(true);
                    break;
                case AnyCharPart:
                    text.Append(AnyChar);
                    wild.Add(true);
                    break;
                default:
                    throw new InvalidOperationException("Resolve policy variables before matching.");
            }
        }

        return (text.ToString(), wild.ToArray());
    }
}
