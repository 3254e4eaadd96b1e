using System.Runtime.CompilerServices;

namespace Keyless.Trust.Automata;

/// <summary>
/// A scratch nondeterministic automaton with ε-moves, used to build concatenations and stars. Its edges are
/// labelled with columns (sets of classes, see <see cref="ColumnMap"/>); <see cref="Determinize"/> turns it into a
/// minimal <see cref="Dfa"/> by the subset construction over bit sets.
/// </summary>
internal sealed class Nfa
{
    private readonly ColumnMap _columns;
    private readonly List<List<int>> _edges = [];
    private readonly List<List<int>> _epsilons = [];
    private readonly List<bool> _accepting = [];

    internal Nfa(ColumnMap columns) => _columns = columns;

    internal int AddState(bool accepting = false)
    {
        _edges.Add([]);
        _epsilons.Add([]);
        _accepting.Add(accepting);
        return _accepting.Count - 1;
    }

    internal void AddEdge(int from, int column, int to)
    {
        _edges[from].Add(column);
        _edges[from].Add(to);
    }

    internal void AddEpsilon(int from, int to) => _epsilons[from].Add(to);

    /// <summary>
    /// Copies the live part of <paramref name="dfa"/> (states from which some word is accepted), so that
    /// dead states never bloat the subsets. <paramref name="dfaColumn"/> maps each of this automaton's columns to
    /// the column of <paramref name="dfa"/> it lies in. Returns the copy's start and its accepting states.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal (int Start, List<int> Accepting) AddDfa(Dfa dfa, int[] dfaColumn, bool keepAccepting)
    {
        var live = dfa.LiveStates();
        var ids = new int[dfa.StateCount];
        var accepting = new List<int>();
        for (var s = 0; s < ids.Length; s++)
        {
            ids[s] = live[s] || s == 0 ? AddState(keepAccepting && dfa.IsAccepting(s)) : -1;
            if (live[s] && dfa.IsAccepting(s))
            {
                accepting.Add(ids[s]);
            }
        }

        for (var s = 0; s < ids.Length; s++)
        {
            if (!live[s])
            {
                continue;
            }

            for (var c = 0; c < _columns.Count; c++)
            {
                var target = dfa.StepColumn(s, dfaColumn[c]);
                if (live[target])
                {
                    AddEdge(ids[s], c, ids[target]);
                }
            }
        }

        return (ids[0], accepting);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Dfa Determinize(int start)
    {
        var k = _columns.Count;
        var n = _accepting.Count;
        var words = (n + 63) >> 6;
        var closures = Closures(n, words);
        var acceptingMask = new ulong[words];
        for (var s = 0; s < n; s++)
        {
            if (_accepting[s])
            {
                acceptingMask[s >> 6] |= 1UL << s;
            }
        }

        var subsets = new List<ulong[]>();
        var ids = new Dictionary<ulong[], int>(BitSetComparer.Instance);
        var first = closures.AsSpan(start * words, words).ToArray();
        subsets.Add(first);
        ids.Add(first, 0);

        var next = new List<int>();
        var buckets = new ulong[k * words];
        var probe = new ulong[words];
        for (var s = 0; s < subsets.Count; s++)
        {
            Array.Clear(buckets);
            var subset = subsets[s];
            foreach (var state in new SetBits(subset))
            {
                var edges = _edges[state];
                for (var e = 0; e < edges.Count; e += 2)
                {
                    var bucket = buckets.AsSpan(edges[e] * words, words);
                    var closure = closures.AsSpan(edges[e + 1] * words, words);
                    for (var i = 0; i < words; i++)
                    {
                        bucket[i] |= closure[i];
                    }
                }
            }

            var previousId = -1;
            for (var c = 0; c < k; c++)
            {
                var bucket = buckets.AsSpan(c * words, words);
                if (c > 0 && bucket.SequenceEqual(buckets.AsSpan((c - 1) * words, words)))
                {
                    next.Add(previousId);
                    continue;
                }

                bucket.CopyTo(probe);
                if (!ids.TryGetValue(probe, out var id))
                {
                    id = subsets.Count;
                    var stored = (ulong[])probe.Clone();
                    subsets.Add(stored);
                    ids.Add(stored, id);
                }

                next.Add(id);
                previousId = id;
            }
        }

        var accepting = new bool[subsets.Count];
        for (var s = 0; s < subsets.Count; s++)
        {
            var subset = subsets[s];
            for (var w = 0; w < words && !accepting[s]; w++)
            {
                accepting[s] = (subset[w] & acceptingMask[w]) != 0;
            }
        }

        return Minimizer.Minimize(_columns.Alphabet, _columns.ClassToColumn, k, [.. next], accepting, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong[] Closures(int n, int words)
    {
        var closures = new ulong[n * words];
        var stack = new Stack<int>();
        for (var s = 0; s < n; s++)
        {
            var closure = closures.AsSpan(s * words, words);
            closure[s >> 6] |= 1UL << s;
            stack.Push(s);
            while (stack.Count > 0)
            {
                foreach (var target in _epsilons[stack.Pop()])
                {
                    var bit = 1UL << target;
                    if ((closure[target >> 6] & bit) == 0)
                    {
                        closure[target >> 6] |= bit;
                        stack.Push(target);
                    }
                }
            }
        }

        return closures;
    }

    private sealed class BitSetComparer : IEqualityComparer<ulong[]>
    {
        internal static readonly BitSetComparer Instance = new();

        public bool Equals(ulong[]? x, ulong[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(ulong[] obj)
        {
            var hash = new HashCode();
            foreach (var word in obj)
            {
                hash.Add(word);
            }

            return hash.ToHashCode();
        }
    }
}
