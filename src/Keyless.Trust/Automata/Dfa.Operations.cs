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

    private Dfa Product(Dfa other, ProductKind kind)
    {
        RequireSameAlphabet(other, nameof(other));
        var columns = ColumnMap.Common(this, other, out var thisColumn, out var otherColumn);
        var k = columns.Count;
        var pairs = new PairIndex(StateCount, other.StateCount);
        var left = new List<int> { 0 };
        var right = new List<int> { 0 };
        pairs.GetOrAdd(0, 0);
        var next = new int[16 * k];
        for (var s = 0; s < left.Count; s++)
        {
            if ((s + 1) * k > next.Length)
            {
                Array.Resize(ref next, next.Length * 2);
            }

            var leftRow = left[s] * _columns;
            var rightRow = right[s] * other._columns;
            for (var c = 0; c < k; c++)
            {
                var a = _next[leftRow + thisColumn[c]];
                var b = other._next[rightRow + otherColumn[c]];
                var id = pairs.GetOrAdd(a, b);
                if (id == left.Count)
                {
                    left.Add(a);
                    right.Add(b);
                }

                next[(s * k) + c] = id;
            }
        }

        var accepting = new bool[left.Count];
        for (var s = 0; s < accepting.Length; s++)
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

        return Minimizer.Minimize(Alphabet, columns.ClassToColumn, k, next, accepting, 0);
    }

    /// <summary>Searches the product for a reachable pair of states satisfying <paramref name="target"/>.</summary>
    private bool ReachesPair(Dfa other, Func<bool, bool, bool> target)
    {
        ColumnMap.Common(this, other, out var thisColumn, out var otherColumn);
        var k = thisColumn.Length;
        var pairs = new PairIndex(StateCount, other.StateCount);
        var left = new List<int> { 0 };
        var right = new List<int> { 0 };
        pairs.GetOrAdd(0, 0);
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
                if (pairs.GetOrAdd(a, b) == left.Count)
                {
                    left.Add(a);
                    right.Add(b);
                }
            }
        }

        return false;
    }

    /// <summary>Numbers pairs of states in order of discovery: a flat table when small, a dictionary otherwise.</summary>
    private sealed class PairIndex
    {
        private const int FlatLimit = 1 << 16;

        private readonly int _rightCount;
        private readonly int[]? _flat;
        private readonly Dictionary<long, int>? _map;
        private int _count;

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

        /// <summary>The pair's number; a new pair gets the next number.</summary>
        internal int GetOrAdd(int left, int right)
        {
            if (_flat is not null)
            {
                var slot = (left * _rightCount) + right;

                // Stored as number + 1 so that the zeroed table means "unseen".
                if (_flat[slot] == 0)
                {
                    _flat[slot] = ++_count;
                }

                return _flat[slot] - 1;
            }

            var key = ((long)left * _rightCount) + right;
            if (!_map!.TryGetValue(key, out var id))
            {
                id = _count++;
                _map.Add(key, id);
            }

            return id;
        }
    }
}
