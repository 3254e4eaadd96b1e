using System.Runtime.CompilerServices;

namespace Keyless.Trust.Automata;

public sealed partial class Dfa
{
    private enum ProductKind
    {
        Intersect,
        Union,
        Minus,
    }

    /// <summary>Strings accepted by both automata.</summary>
    public Dfa Intersect(Dfa other) => Product(other, ProductKind.Intersect);

    /// <summary>Strings accepted by either automaton.</summary>
    public Dfa Union(Dfa other) => Product(other, ProductKind.Union);

    /// <summary>Strings accepted by this automaton and not by <paramref name="other"/>.</summary>
    public Dfa Minus(Dfa other) => Product(other, ProductKind.Minus);

    /// <summary>Σ* minus this language.</summary>
    public Dfa Complement()
    {
        var accepting = new bool[StateCount];
        for (var s = 0; s < accepting.Length; s++)
        {
            accepting[s] = !_accepting[s];
        }

        // Flipping acceptance of a complete minimal automaton keeps it minimal and canonically numbered.
        return new Dfa(Alphabet, _classToColumn, _columns, _next, accepting, _isMinimal);
    }

    /// <summary>Strings made of a string of this language followed by one of <paramref name="other"/>.</summary>
    public Dfa Concat(Dfa other)
    {
        RequireSameAlphabet(other, nameof(other));
        var columns = ColumnMap.Common(this, other, out var thisColumn, out var otherColumn);
        var nfa = new Nfa(columns);
        var (start, firstAccepting) = nfa.AddDfa(this, thisColumn, keepAccepting: false);
        var (secondStart, _) = nfa.AddDfa(other, otherColumn, keepAccepting: true);
        foreach (var state in firstAccepting)
        {
            nfa.AddEpsilon(state, secondStart);
        }

        return nfa.Determinize(start);
    }

    /// <summary>Kleene star: zero or more strings of this language in a row.</summary>
    public Dfa Star()
    {
        var nfa = new Nfa(new ColumnMap(Alphabet, _classToColumn, _columns));
        var start = nfa.AddState(accepting: true);
        var (innerStart, accepting) = nfa.AddDfa(this, IdentityMap(_columns), keepAccepting: true);
        nfa.AddEpsilon(start, innerStart);
        foreach (var state in accepting)
        {
            nfa.AddEpsilon(state, innerStart);
        }

        return nfa.Determinize(start);
    }

    /// <summary>One or more strings of this language in a row.</summary>
    public Dfa Plus()
    {
        var nfa = new Nfa(new ColumnMap(Alphabet, _classToColumn, _columns));
        var (start, accepting) = nfa.AddDfa(this, IdentityMap(_columns), keepAccepting: true);
        foreach (var state in accepting)
        {
            nfa.AddEpsilon(state, start);
        }

        return nfa.Determinize(start);
    }

    /// <summary>This language plus the empty string.</summary>
    public Dfa Optional() => Union(Literal(Alphabet, string.Empty));

    /// <summary>True when every string of this language is in <paramref name="other"/>.</summary>
    public bool IsSubsetOf(Dfa other)
    {
        RequireSameAlphabet(other, nameof(other));
        return !ReachesPair(other, static (inThis, inOther) => inThis && !inOther);
    }

    /// <summary>True when both automata accept the same strings.</summary>
    public bool IsEquivalentTo(Dfa other)
    {
        RequireSameAlphabet(other, nameof(other));
        if (_isMinimal && other._isMinimal)
        {
            // Canonical minimal automata of one language are identical.
            var size = StateCount * _columns;
            return StateCount == other.StateCount
                && _columns == other._columns
                && _accepting.AsSpan().SequenceEqual(other._accepting)
                && _classToColumn.AsSpan().SequenceEqual(other._classToColumn)
                && _next.AsSpan(0, size).SequenceEqual(other._next.AsSpan(0, size));
        }

        return !ReachesPair(other, static (inThis, inOther) => inThis != inOther);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dfa Product(Dfa other, ProductKind kind)
    {
        RequireSameAlphabet(other, nameof(other));
        var columns = ColumnMap.Common(this, other, out var thisColumn, out var otherColumn);
        var k = columns.Count;
        var thisDead = DeadState;
        var otherDead = other.DeadState;

        // Pairs that can no longer accept collapse into one sink, state 0 of the raw product; the start pair is state 1.
        var pairs = new PairIndex(StateCount, other.StateCount);
        var capacity = Math.Max(16, StateCount + other.StateCount);
        var left = new int[capacity];
        var right = new int[capacity];
        var next = new int[capacity * k];
        left[0] = thisDead;
        right[0] = otherDead;
        var count = 2;
        pairs.GetOrAdd(0, 0, 1);
        for (var s = 1; s < count; s++)
        {
            var leftRow = left[s] * _columns;
            var rightRow = right[s] * other._columns;
            var row = s * k;
            for (var c = 0; c < k; c++)
            {
                var a = _next[leftRow + thisColumn[c]];
                var b = other._next[rightRow + otherColumn[c]];
                var isSink = kind switch
                {
                    ProductKind.Intersect => a == thisDead || b == otherDead,
                    ProductKind.Union => a == thisDead && b == otherDead,
                    _ => a == thisDead,
                };

                var id = isSink ? 0 : pairs.GetOrAdd(a, b, count);
                if (id == count)
                {
                    if (count == left.Length)
                    {
                        Array.Resize(ref left, count * 2);
                        Array.Resize(ref right, count * 2);
                        Array.Resize(ref next, count * 2 * k);
                    }

                    left[count] = a;
                    right[count] = b;
                    count++;
                }

                next[row + c] = id;
            }
        }

        var accepting = new bool[count];
        for (var s = 1; s < count; s++)
        {
            var inThis = _accepting[left[s]];
            var inOther = other._accepting[right[s]];
            accepting[s] = kind switch
            {
                ProductKind.Intersect => inThis && inOther,
                ProductKind.Union => inThis || inOther,
                _ => inThis && !inOther,
            };
        }

        return Minimizer.Minimize(Alphabet, columns.ClassToColumn, k, next, accepting, 1);
    }

    /// <summary>Searches the product for a reachable pair of states satisfying <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ReachesPair(Dfa other, Func<bool, bool, bool> target)
    {
        ColumnMap.Common(this, other, out var thisColumn, out var otherColumn);
        var k = thisColumn.Length;
        var pairs = new PairIndex(StateCount, other.StateCount);
        var left = new List<int> { 0 };
        var right = new List<int> { 0 };
        pairs.GetOrAdd(0, 0, 0);
        for (var s = 0; s < left.Count; s++)
        {
            if (target(_accepting[left[s]], other._accepting[right[s]]))
            {
                return true;
            }

            var leftRow = left[s] * _columns;
            var rightRow = right[s] * other._columns;
            for (var c = 0; c < k; c++)
            {
                var a = _next[leftRow + thisColumn[c]];
                var b = other._next[rightRow + otherColumn[c]];
                if (pairs.GetOrAdd(a, b, left.Count) == left.Count)
                {
                    left.Add(a);
                    right.Add(b);
                }
            }
        }

        return false;
    }

    /// <summary>Numbers pairs of states: a flat table when small, a dictionary otherwise.</summary>
    private sealed class PairIndex
    {
        private const int FlatLimit = 1 << 14;

        private readonly int _rightCount;
        private readonly int[]? _flat;
        private readonly Dictionary<long, int>? _map;

        internal PairIndex(int leftCount, int rightCount)
        {
            _rightCount = rightCount;
            if ((long)leftCount * rightCount <= FlatLimit)
            {
                _flat = new int[leftCount * rightCount];
            }
            else
            {
                _map = [];
            }
        }

        /// <summary>The pair's number, or <paramref name="fresh"/> (which the pair gets) when it is new.</summary>
        internal int GetOrAdd(int left, int right, int fresh)
        {
            if (_flat is not null)
            {
                // Stored as number + 1 so that the zeroed table means "unseen".
                ref var slot = ref _flat[(left * _rightCount) + right];
                if (slot == 0)
                {
                    slot = fresh + 1;
                }

                return slot - 1;
            }

            var key = ((long)left * _rightCount) + right;
            if (!_map!.TryGetValue(key, out var id))
            {
                id = fresh;
                _map.Add(key, id);
            }

            return id;
        }
    }
}
