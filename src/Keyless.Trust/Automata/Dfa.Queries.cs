using System.Runtime.CompilerServices;
using System.Text;

namespace Keyless.Trust.Automata;

public sealed partial class Dfa
{
    /// <summary>True when no string is accepted.</summary>
    public bool IsEmpty
    {
        get
        {
            if (_isMinimal)
            {
                return StateCount == 1 && !_accepting[0];
            }

            return ShortestFrom(0) is null;
        }
    }

    /// <summary>True when the language has finitely many strings.</summary>
    public bool IsFinite
    {
        get
        {
            var dfa = Minimize();
            var live = dfa.LiveStates();
            var k = dfa._columns;
            const byte Unvisited = 0, OnStack = 1, Done = 2;
            var color = new byte[dfa.StateCount];
            var stack = new Stack<(int State, int Column)>();
            if (!live[0])
            {
                return true;
            }

            // Iterative depth-first search for a cycle through live states.
            color[0] = OnStack;
            stack.Push((0, 0));
            while (stack.Count > 0)
            {
                var (state, column) = stack.Pop();
                if (column == k)
                {
                    color[state] = Done;
                    continue;
                }

                stack.Push((state, column + 1));
                var target = dfa._next[(state * k) + column];
                if (!live[target])
                {
                    continue;
                }

                if (color[target] == OnStack)
                {
                    return false;
                }

                if (color[target] == Unvisited)
                {
                    color[target] = OnStack;
                    stack.Push((target, 0));
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> members in shortlex order (by length, then by char ordinal). Each class is
    /// written with its representative, so every distinct class sequence of the language appears once.
    /// </summary>
    public IReadOnlyList<string> Enumerate(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var results = new List<string>();
        var dfa = Minimize();
        if (max == 0 || dfa.IsEmpty)
        {
            return results;
        }

        var k = dfa._columns;
        var n = dfa.StateCount;
        var maxLength = dfa.IsFinite ? n - 1 : int.MaxValue;
        var order = Alphabet.ClassesByOrdinal.ToArray();

        // acceptsIn[r][s]: some string of exactly r chars leads from s to acceptance.
        var acceptsIn = new List<bool[]> { (bool[])dfa._accepting.Clone() };
        var buffer = new StringBuilder();
        for (var length = 0; length <= maxLength && results.Count < max; length++)
        {
            while (acceptsIn.Count <= length)
            {
                var shorter = acceptsIn[^1];
                var current = new bool[n];
                for (var s = 0; s < n; s++)
                {
                    for (var c = 0; c < k && !current[s]; c++)
                    {
                        current[s] = shorter[dfa._next[(s * k) + c]];
                    }
                }

                acceptsIn.Add(current);
            }

            if (acceptsIn[length][0])
            {
                dfa.EnumerateExactly(0, length, acceptsIn, order, buffer, results, max);
            }
        }

        return results;
    }

    /// <summary>
    /// A shortest member, or null when the language is empty. Among members of that length it returns the
    /// first in readability order of the class representatives (lowercase, digits, <c>- _ . /</c>, uppercase, others).
    /// </summary>
    public string? ShortestMember() => ShortestFrom(0);

    /// <summary>The residual language: strings <c>w</c> such that <paramref name="prefix"/> + <c>w</c> is accepted.</summary>
    public Dfa AfterPrefix(string prefix)
    {
        // The states of a minimal automaton stay pairwise distinguishable in any part of it.
        var state = StateAfter(prefix);
        return _isMinimal
            ? Minimizer.Canonicalize(Alphabet, _classToColumn, _columns, _next, _accepting, state)
            : Minimizer.Minimize(Alphabet, _classToColumn, _columns, _next, _accepting, state, mayHaveUnreachableStates: true);
    }

    /// <summary>A shortest member starting with <paramref name="prefix"/>, or null when there is none.</summary>
    public string? ShortestMemberWithPrefix(string prefix)
    {
        var rest = ShortestFrom(StateAfter(prefix));
        return rest is null ? null : prefix + rest;
    }

    /// <summary>
    /// Decomposes the strings that contain <paramref name="separator"/> at their first occurrence of it: the union of
    /// <c>Head + separator + Tail</c> over the result equals this language ∩ (Σ∖{separator})* separator Σ*, heads never
    /// contain the separator, and there is one pair per state reached right after the first separator (pairs with an
    /// empty tail are dropped). The separator must be distinguished by the alphabet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<DfaSplit> SplitAt(char separator)
    {
        var sep = SingletonClass(Alphabet, separator, nameof(separator));
        var dfa = Minimize();
        var k = dfa._columns;
        var n = dfa.StateCount;
        var sepColumn = dfa._classToColumn[sep];

        // Columns that some class other than the separator maps to.
        var nonSeparatorColumn = new bool[k];
        for (var cls = 0; cls < dfa._classToColumn.Length; cls++)
        {
            nonSeparatorColumn[dfa._classToColumn[cls]] |= cls != sep;
        }

        // States reachable without reading the separator, and the states the separator leads to from them.
        var beforeSeparator = new bool[n];
        var queue = new Queue<int>();
        beforeSeparator[0] = true;
        queue.Enqueue(0);
        var targets = new List<int>();
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            var afterSeparator = dfa._next[(s * k) + sepColumn];
            if (!targets.Contains(afterSeparator))
            {
                targets.Add(afterSeparator);
            }

            for (var c = 0; c < k; c++)
            {
                var target = dfa._next[(s * k) + c];
                if (nonSeparatorColumn[c] && !beforeSeparator[target])
                {
                    beforeSeparator[target] = true;
                    queue.Enqueue(target);
                }
            }
        }

        // Heads read the original automaton, except that the separator gets a column of its own leading to an extra dead state.
        var headColumns = k + 1;
        var headMap = (int[])dfa._classToColumn.Clone();
        headMap[sep] = k;
        var dead = n;
        var headNext = new int[(n + 1) * headColumns];
        for (var s = 0; s <= n; s++)
        {
            for (var c = 0; c < headColumns; c++)
            {
                headNext[(s * headColumns) + c] = s == dead || c == k ? dead : dfa._next[(s * k) + c];
            }
        }

        var live = dfa.LiveStates();
        var result = new List<DfaSplit>();
        foreach (var target in targets)
        {
            if (!live[target])
            {
                continue;
            }

            var headAccepting = new bool[n + 1];
            for (var s = 0; s < n; s++)
            {
                headAccepting[s] = beforeSeparator[s] && dfa._next[(s * k) + sepColumn] == target;
            }

            var head = Minimizer.Minimize(Alphabet, headMap, headColumns, headNext, headAccepting, 0, mayHaveUnreachableStates: true);
            var tail = Minimizer.Canonicalize(Alphabet, dfa._classToColumn, k, dfa._next, dfa._accepting, target);
            result.Add(new DfaSplit(head, tail));
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int StateAfter(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var state = 0;
        foreach (var c in prefix)
        {
            state = _next[(state * _columns) + _classToColumn[Alphabet.ClassOf(c)]];
        }

        return state;
    }

    /// <summary>
    /// Breadth-first search trying classes in readability order. States are discovered in lexicographic order
    /// of their best shortest path, so the first accepting state dequeued carries the preferred shortest member.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? ShortestFrom(int start)
    {
        // Classes sharing a column lead to the same state, so each column is tried once, as its most readable class.
        var k = _columns;
        var bestClass = new int[k];
        Array.Fill(bestClass, -1);
        var columnOrder = new List<int>(k);
        foreach (var cls in Alphabet.ClassesByPreference)
        {
            var column = _classToColumn[cls];
            if (bestClass[column] < 0)
            {
                bestClass[column] = cls;
                columnOrder.Add(column);
            }
        }

        var parent = new int[StateCount];
        var parentColumn = new int[StateCount];
        Array.Fill(parent, -2);
        parent[start] = -1;
        var queue = new Queue<int>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            if (_accepting[s])
            {
                var chars = new List<char>();
                for (var at = s; parent[at] >= 0; at = parent[at])
                {
                    chars.Add(Alphabet.Representative(bestClass[parentColumn[at]]));
                }

                chars.Reverse();
                return new string([.. chars]);
            }

            foreach (var c in columnOrder)
            {
                var target = _next[(s * k) + c];
                if (parent[target] == -2)
                {
                    parent[target] = s;
                    parentColumn[target] = c;
                    queue.Enqueue(target);
                }
            }
        }

        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EnumerateExactly(
        int state, int remaining, List<bool[]> acceptsIn, int[] order, StringBuilder buffer, List<string> results, int max)
    {
        if (remaining == 0)
        {
            results.Add(buffer.ToString());
            return;
        }

        var viable = acceptsIn[remaining - 1];
        foreach (var c in order)
        {
            var target = _next[(state * _columns) + _classToColumn[c]];
            if (!viable[target])
            {
                continue;
            }

            buffer.Append(Alphabet.Representative(c));
            EnumerateExactly(target, remaining - 1, acceptsIn, order, buffer, results, max);
            buffer.Length--;
            if (results.Count >= max)
            {
                return;
            }
        }
    }
}
