using CsCheck;

namespace Keyless.Trust.Tests.Automata;

/// <summary>Generators and independent oracles shared by the automata property tests.</summary>
internal static class AutomataGen
{
    /// <summary>Small IAM patterns over a few chars, with both wildcards.</summary>
    public static readonly Gen<string> Pattern = Gen.Char["ab/:*?"].Array[0, 6].Select(chars => new string(chars));

    /// <summary>
    /// Probe strings mixing distinguished chars (a b / :), an undistinguished lowercase letter (x), an uppercase
    /// variant (A), a non-ASCII char (é) and a control char (tab), so that group classes are exercised too.
    /// </summary>
    public static readonly Gen<string> Probe = Gen.Char["ab/:xA\u00e9\t"].Array[0, 7].Select(chars => new string(chars));

    public static readonly Gen<string[]> Probes = Probe.Array[20, 40];

    /// <summary>Anchored IAM StringLike matching by dynamic programming, independent of the automata.</summary>
    public static bool GlobMatches(string pattern, string text)
    {
        // matches[j]: pattern[..i] matches text[..j]
        var matches = new bool[text.Length + 1];
        matches[0] = true;
        foreach (var p in pattern)
        {
            var nextMatches = new bool[text.Length + 1];
            for (var j = 0; j <= text.Length; j++)
            {
                nextMatches[j] = p switch
                {
                    '*' => matches[j] || (j > 0 && nextMatches[j - 1]),
                    '?' => j > 0 && matches[j - 1],
                    _ => j > 0 && matches[j - 1] && text[j - 1] == p,
                };
            }

            matches = nextMatches;
        }

        return matches[text.Length];
    }

    /// <summary>
    /// Number of Myhill–Nerode classes of the reachable part of a class-indexed table, by naive Moore refinement:
    /// the size any minimal automaton for the same language must have.
    /// </summary>
    public static int NerodeClassCount(int[] next, bool[] accepting, int classes)
    {
        var n = accepting.Length;
        var reachable = new bool[n];
        var stack = new Stack<int>([0]);
        reachable[0] = true;
        while (stack.Count > 0)
        {
            var s = stack.Pop();
            for (var c = 0; c < classes; c++)
            {
                var t = next[(s * classes) + c];
                if (!reachable[t])
                {
                    reachable[t] = true;
                    stack.Push(t);
                }
            }
        }

        var block = new int[n];
        for (var s = 0; s < n; s++)
        {
            block[s] = accepting[s] ? 1 : 0;
        }

        var count = -1;
        while (true)
        {
            var signatures = new Dictionary<string, int>();
            var refined = new int[n];
            for (var s = 0; s < n; s++)
            {
                if (!reachable[s])
                {
                    continue;
                }

                var signature = block[s] + "|" + string.Join(",", Enumerable.Range(0, classes).Select(c => block[next[(s * classes) + c]]));
                if (!signatures.TryGetValue(signature, out var id))
                {
                    id = signatures.Count;
                    signatures.Add(signature, id);
                }

                refined[s] = id;
            }

            block = refined;
            if (signatures.Count == count)
            {
                return count;
            }

            count = signatures.Count;
        }
    }

    /// <summary>Shortlex order: by length, then ordinal.</summary>
    public static int CompareShortlex(string x, string y) =>
        x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
}
