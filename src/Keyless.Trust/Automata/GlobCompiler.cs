using System.Runtime.CompilerServices;

namespace Keyless.Trust.Automata;

/// <summary>
/// Compiles a glob straight into a deterministic automaton by the subset construction over pattern positions,
/// with positions held as bit sets (position p: the first p atoms are matched). Within one subset, every column
/// that no literal atom of the subset mentions leads to the same successor, so only a few successors per subset
/// need computing and looking up, however many columns there are.
/// </summary>
internal static class GlobCompiler
{
    private const int AnyStringAtom = -1;
    private const int AnyCharAtom = -2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Dfa Compile(Alphabet alphabet, IReadOnlyList<GlobToken> tokens, Func<char, int> singletonClass)
    {
        // Atoms: a column for a literal char, or one of the wildcard markers.
        var literalClasses = new List<int>();
        var atomClasses = new List<int>();
        foreach (var token in tokens)
        {
            switch (token)
            {
                case GlobLiteral literal:
                    foreach (var c in literal.Text)
                    {
                        var cls = singletonClass(c);
                        literalClasses.Add(cls);
                        atomClasses.Add(cls);
                    }

                    break;
                case GlobAnyChar:
                    atomClasses.Add(AnyCharAtom);
                    break;
                case GlobAnyString:
                    // Consecutive stars mean the same as one.
                    if (atomClasses.Count == 0 || atomClasses[^1] != AnyStringAtom)
                    {
                        atomClasses.Add(AnyStringAtom);
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown glob token {token}.", nameof(tokens));
            }
        }

        var columns = ColumnMap.Distinguishing(alphabet, literalClasses);
        var atomCount = atomClasses.Count;
        var atoms = new int[atomCount];
        for (var p = 0; p < atomCount; p++)
        {
            var atom = atomClasses[p];
            atoms[p] = atom < 0 ? atom : columns.ClassToColumn[atom];
        }

        return new Construction(atoms, columns).Run();
    }

    private sealed class Construction
    {
        private readonly int[] _atoms;
        private readonly ColumnMap _columns;
        private readonly int _words;
        private readonly ulong[] _starMask;
        private readonly ulong[] _anyCharMask;
        private readonly List<int> _starPositions = [];
        private ulong[] _pool;
        private int _subsetCount;
        private int[] _table;

        internal Construction(int[] atoms, ColumnMap columns)
        {
            _atoms = atoms;
            _columns = columns;
            _words = (atoms.Length + 1 + 63) >> 6;
            _starMask = new ulong[_words];
            _anyCharMask = new ulong[_words];
            for (var p = 0; p < atoms.Length; p++)
            {
                if (atoms[p] == AnyStringAtom)
                {
                    _starMask[p >> 6] |= 1UL << p;
                    _starPositions.Add(p);
                }
                else if (atoms[p] == AnyCharAtom)
                {
                    _anyCharMask[p >> 6] |= 1UL << p;
                }
            }

            _pool = new ulong[16 * _words];
            _table = new int[64];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal Dfa Run()
        {
            var w = _words;
            var k = _columns.Count;
            var start = new ulong[w];
            start[0] = 1;
            Close(start);
            Intern(start);

            var common = new ulong[w];
            var successor = new ulong[w];
            var literalColumns = new List<int>();
            var next = new int[16 * k];
            for (var s = 0; s < _subsetCount; s++)
            {
                if ((s + 1) * k > next.Length)
                {
                    Array.Resize(ref next, next.Length * 2);
                }

                // Stars keep their position, '?' advances on any column, and ε-moves skip stars.
                var subset = _pool.AsSpan(s * w, w);
                for (var i = 0; i < w; i++)
                {
                    common[i] = subset[i] & _starMask[i];
                }

                OrShiftedByOne(common, subset, _anyCharMask);
                Close(common);
                var commonId = Intern(common);
                next.AsSpan(s * k, k).Fill(commonId);

                // Each literal atom of the subset advances on its own column only.
                literalColumns.Clear();
                foreach (var p in new SetBits(_pool.AsSpan(s * w, w)))
                {
                    if (p < _atoms.Length && _atoms[p] >= 0 && !literalColumns.Contains(_atoms[p]))
                    {
                        literalColumns.Add(_atoms[p]);
                    }
                }

                foreach (var column in literalColumns)
                {
                    common.CopyTo(successor, 0);
                    // The pool may have grown (Intern) since the last column: the subset is read anew.
                    foreach (var p in new SetBits(_pool.AsSpan(s * w, w)))
                    {
                        if (p < _atoms.Length && _atoms[p] == column)
                        {
                            successor[(p + 1) >> 6] |= 1UL << (p + 1);
                        }
                    }

                    Close(successor);
                    next[(s * k) + column] = Intern(successor);
                }
            }

            var accepting = new bool[_subsetCount];
            var acceptWord = _atoms.Length >> 6;
            var acceptBit = 1UL << _atoms.Length;
            for (var s = 0; s < _subsetCount; s++)
            {
                accepting[s] = (_pool[(s * w) + acceptWord] & acceptBit) != 0;
            }

            return Minimizer.Minimize(_columns.Alphabet, _columns.ClassToColumn, k, next, accepting, 0);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void OrShiftedByOne(ulong[] target, ReadOnlySpan<ulong> source, ulong[] mask)
        {
            var carry = 0UL;
            for (var i = 0; i < target.Length; i++)
            {
                var bits = source[i] & mask[i];
                target[i] |= (bits << 1) | carry;
                carry = bits >> 63;
            }
        }

        /// <summary>ε-closure: a star position also stands for the position after it (cascading over consecutive stars).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Close(ulong[] set)
        {
            foreach (var p in _starPositions)
            {
                if ((set[p >> 6] & (1UL << p)) != 0)
                {
                    set[(p + 1) >> 6] |= 1UL << (p + 1);
                }
            }
        }

        /// <summary>The number of <paramref name="set"/>, adding it to the pool (open addressing) when new.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int Intern(ulong[] set)
        {
            var mask = _table.Length - 1;
            var slot = Slot(set, mask);
            while (true)
            {
                var entry = _table[slot];
                if (entry == 0)
                {
                    break;
                }

                if (_pool.AsSpan((entry - 1) * _words, _words).SequenceEqual(set))
                {
                    return entry - 1;
                }

                slot = (slot + 1) & mask;
            }

            var id = _subsetCount++;
            if (_subsetCount * _words > _pool.Length)
            {
                Array.Resize(ref _pool, _pool.Length * 2);
            }

            set.CopyTo(_pool, id * _words);
            _table[slot] = id + 1;
            if (_subsetCount * 2 > _table.Length)
            {
                Rehash();
            }

            return id;
        }

        /// <summary>Where a set's search starts in the open-addressing table (a multiplicative hash of its words).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static int Slot(ReadOnlySpan<ulong> set, int mask)
        {
            var hash = 0UL;
            foreach (var word in set)
            {
                hash = (hash ^ word) * 0x9E3779B97F4A7C15UL;
            }

            return (int)(hash >> 40) & mask;
        }

        private void Rehash()
        {
            _table = new int[_table.Length * 2];
            var mask = _table.Length - 1;
            for (var id = 0; id < _subsetCount; id++)
            {
                var slot = Slot(_pool.AsSpan(id * _words, _words), mask);
                while (_table[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _table[slot] = id + 1;
            }
        }
    }
}
