using System.Runtime.CompilerServices;

namespace Keyless.Trust.Automata;

/// <summary>
/// Ordinal-ignore-case equivalence under the invariant culture: two chars are equal when their
/// <see cref="char.ToUpperInvariant(char)"/> agree. Groups can be larger than {lower, upper}
/// (e.g. 's', 'S' and U+017F LATIN SMALL LETTER LONG S), so they are computed once from the whole char range.
/// </summary>
internal static class CaseFolding
{
    private static readonly Dictionary<char, char[]> GroupsByUpper = BuildGroups();

    // Every char, so that a one-char group can be returned as a span without allocating.
    private static readonly char[] AllChars = BuildAllChars();

    /// <summary>All chars whose invariant upper case is <paramref name="upper"/>.</summary>
    private static ReadOnlySpan<char> CharsWithUpper(char upper)
    {
        if (GroupsByUpper.TryGetValue(upper, out var group))
        {
            return group;
        }

        return char.ToUpperInvariant(upper) == upper ? AllChars.AsSpan(upper, 1) : [];
    }

    /// <summary>All chars that ignore-case-equal <paramref name="c"/> (including <paramref name="c"/>).</summary>
    internal static ReadOnlySpan<char> EquivalentChars(char c) => CharsWithUpper(char.ToUpperInvariant(c));

    private static char[] BuildAllChars()
    {
        var chars = new char[char.MaxValue + 1];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)i;
        }

        return chars;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Dictionary<char, char[]> BuildGroups()
    {
        var lists = new Dictionary<char, List<char>>();
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var upper = char.ToUpperInvariant(c);
            if (!lists.TryGetValue(upper, out var list))
            {
                list = [];
                lists.Add(upper, list);
            }

            list.Add(c);
        }

        var groups = new Dictionary<char, char[]>();
        foreach (var (upper, list) in lists)
        {
            if (list.Count > 1 || list[0] != upper)
            {
                groups.Add(upper, [.. list]);
            }
        }

        return groups;
    }
}
