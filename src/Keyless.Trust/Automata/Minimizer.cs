namespace Keyless.Trust.Automata;

/// <summary>
/// Hopcroft's partition refinement, O(m·n·log n) for n states and m columns. The result is canonical: classes
/// with identical transitions share a column, columns are numbered by their first class, and states are numbered
/// breadth-first from the start trying columns in order. Minimal automata of one language over one alphabet
/// therefore have identical tables.
/// </summary>
internal static class Minimizer
{
    /// <summary>Minimizes the automaton <paramref name="next"/>[state * columns + column] starting at <paramref name="start"/>.</summary>
    internal static Dfa Minimize(Alphabet alphabet, int[] classToColumn, int columns, int[] next, bool[] accepting, int start)
    {
        // A column no class maps to would let phantom transitions keep equivalent states apart.
        (classToColumn, columns, next) = DropUnusedColumns(classToColumn, columns, next, accepting.Length);
        var (reachableNext, reachableAccepting) = Reachable(columns, next, accepting, start);
        var blockOf = Refine(columns, reachableAccepting.Length, reachableNext, reachableAccepting);
        var (quotientNext, quotientAccepting) = Quotient(columns, reachableNext, reachableAccepting, blockOf);
        return Canonicalize(alphabet, classToColumn, columns, quotientNext, quotientAccepting, blockOf[0]);
    }

    /// <summary>Brings an automaton already known to be minimal into canonical form.</summary>
    internal static Dfa Canonicalize(Alphabet alphabet, int[] classToColumn, int columns, int[] next, bool[] accepting, int start)
    {
        var (reachableNext, reachableAccepting) = Reachable(columns, next, accepting, start);
        var n = reachableAccepting.Length;

        // Merge columns with identical transitions, numbering them in order of their first class.
        var comparer = new ColumnComparer(reachableNext, columns, n);
        var groupIds = new Dictionary<int, int>(comparer);
        var newColumnOfOld = new int[columns];
        Array.Fill(newColumnOfOld, -1);
        var oldColumnOfNew = new List<int>();
        var canonicalMap = new int[classToColumn.Length];
        for (var cls = 0; cls < classToColumn.Length; cls++)
        {
            var old = classToColumn[cls];
            if (newColumnOfOld[old] < 0)
            {
                if (!groupIds.TryGetValue(old, out var id))
                {
                    id = oldColumnOfNew.Count;
                    groupIds.Add(old, id);
                    oldColumnOfNew.Add(old);
                }

                newColumnOfOld[old] = id;
            }

            canonicalMap[cls] = newColumnOfOld[old];
        }

        var m = oldColumnOfNew.Count;
        var merged = new int[n * m];
        for (var s = 0; s < n; s++)
        {
            for (var j = 0; j < m; j++)
            {
                merged[(s * m) + j] = reachableNext[(s * columns) + oldColumnOfNew[j]];
            }
        }

        var (canonicalNext, canonicalAccepting) = Reachable(m, merged, reachableAccepting, 0);
        return new Dfa(alphabet, canonicalMap, m, canonicalNext, canonicalAccepting, isMinimal: true);
    }

    private static (int[] ClassToColumn, int Columns, int[] Next) DropUnusedColumns(int[] classToColumn, int columns, int[] next, int rows)
    {
        var newColumn = new int[columns];
        Array.Fill(newColumn, -1);
        var used = 0;
        foreach (var column in classToColumn)
        {
            if (newColumn[column] < 0)
            {
                newColumn[column] = used++;
            }
        }

        if (used == columns)
        {
            return (classToColumn, columns, next);
        }

        var map = new int[classToColumn.Length];
        for (var cls = 0; cls < map.Length; cls++)
        {
            map[cls] = newColumn[classToColumn[cls]];
        }

        var compact = new int[rows * used];
        for (var s = 0; s < rows; s++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (newColumn[c] >= 0)
                {
                    compact[(s * used) + newColumn[c]] = next[(s * columns) + c];
                }
            }
        }

        return (map, used, compact);
    }

    /// <summary>Keeps the states reachable from <paramref name="start"/>, numbered breadth-first, start first.</summary>
    private static (int[] Next, bool[] Accepting) Reachable(int columns, int[] next, bool[] accepting, int start)
    {
        var total = accepting.Length;
        var newId = new int[total];
        Array.Fill(newId, -1);
        var order = new int[total];
        var count = 0;
        newId[start] = 0;
        order[count++] = start;
        for (var head = 0; head < count; head++)
        {
            var row = order[head] * columns;
            for (var c = 0; c < columns; c++)
            {
                var target = next[row + c];
                if (newId[target] < 0)
                {
                    newId[target] = count;
                    order[count++] = target;
                }
            }
        }

        var resultNext = new int[count * columns];
        var resultAccepting = new bool[count];
        for (var s = 0; s < count; s++)
        {
            var old = order[s];
            resultAccepting[s] = accepting[old];
            var oldRow = old * columns;
            var newRow = s * columns;
            for (var c = 0; c < columns; c++)
            {
                resultNext[newRow + c] = newId[next[oldRow + c]];
            }
        }

        return (resultNext, resultAccepting);
    }

    private static int[] Refine(int columns, int n, int[] next, bool[] accepting)
    {
        var partition = new Partition(n, accepting);
        if (partition.BlockCount == 1)
        {
            return partition.BlockOfState;
        }

        // Predecessors in CSR form, indexed by target * columns + column.
        var predStart = new int[(n * columns) + 1];
        for (var s = 0; s < n; s++)
        {
            var row = s * columns;
            for (var c = 0; c < columns; c++)
            {
                predStart[(next[row + c] * columns) + c + 1]++;
            }
        }

        for (var i = 1; i < predStart.Length; i++)
        {
            predStart[i] += predStart[i - 1];
        }

        var preds = new int[n * columns];
        var fill = new int[n * columns];
        for (var s = 0; s < n; s++)
        {
            var row = s * columns;
            for (var c = 0; c < columns; c++)
            {
                var key = (next[row + c] * columns) + c;
                preds[predStart[key] + fill[key]++] = s;
            }
        }

        var worklist = new Stack<int>();
        var inWorklist = new bool[n + 1];
        var smallerInitial = partition.Size(0) <= partition.Size(1) ? 0 : 1;
        worklist.Push(smallerInitial);
        inWorklist[smallerInitial] = true;

        var splitter = new int[n];
        var touched = new List<int>();
        while (worklist.Count > 0)
        {
            var block = worklist.Pop();
            inWorklist[block] = false;

            // The splitter is the block as it was when dequeued; splitting by it stays sound if it is split meanwhile.
            var splitterSize = partition.CopyMembers(block, splitter);
            for (var c = 0; c < columns; c++)
            {
                touched.Clear();
                for (var i = 0; i < splitterSize; i++)
                {
                    var key = (splitter[i] * columns) + c;
                    for (var p = predStart[key]; p < predStart[key + 1]; p++)
                    {
                        partition.Mark(preds[p], touched);
                    }
                }

                foreach (var touchedBlock in touched)
                {
                    var newBlock = partition.SplitMarked(touchedBlock);
                    if (newBlock < 0)
                    {
                        continue;
                    }

                    if (inWorklist[touchedBlock])
                    {
                        worklist.Push(newBlock);
                        inWorklist[newBlock] = true;
                    }
                    else
                    {
                        var smaller = partition.Size(newBlock) <= partition.Size(touchedBlock) ? newBlock : touchedBlock;
                        worklist.Push(smaller);
                        inWorklist[smaller] = true;
                    }
                }
            }
        }

        return partition.BlockOfState;
    }

    private static (int[] Next, bool[] Accepting) Quotient(int columns, int[] next, bool[] accepting, int[] blockOf)
    {
        var n = accepting.Length;
        var blockCount = 0;
        var representative = new int[n];
        Array.Fill(representative, -1);
        for (var s = 0; s < n; s++)
        {
            if (representative[blockOf[s]] < 0)
            {
                representative[blockOf[s]] = s;
                blockCount++;
            }
        }

        var quotientNext = new int[blockCount * columns];
        var quotientAccepting = new bool[blockCount];
        for (var b = 0; b < blockCount; b++)
        {
            var s = representative[b];
            quotientAccepting[b] = accepting[s];
            for (var c = 0; c < columns; c++)
            {
                quotientNext[(b * columns) + c] = blockOf[next[(s * columns) + c]];
            }
        }

        return (quotientNext, quotientAccepting);
    }

    /// <summary>Compares two columns of a transition table entry by entry.</summary>
    private sealed class ColumnComparer(int[] next, int columns, int rows) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y)
        {
            for (var s = 0; s < rows; s++)
            {
                var row = s * columns;
                if (next[row + x] != next[row + y])
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(int obj)
        {
            var hash = new HashCode();
            for (var s = 0; s < rows; s++)
            {
                hash.Add(next[(s * columns) + obj]);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>Blocks are contiguous ranges of <c>_elements</c>; marked members are moved to the front of their block.</summary>
    private sealed class Partition
    {
        private readonly int[] _elements;
        private readonly int[] _location;
        private readonly int[] _first;
        private readonly int[] _end;
        private readonly int[] _marked;

        internal Partition(int n, bool[] accepting)
        {
            _elements = new int[n];
            _location = new int[n];
            BlockOfState = new int[n];
            _first = new int[n + 1];
            _end = new int[n + 1];
            _marked = new int[n + 1];

            var acceptingCount = 0;
            foreach (var a in accepting)
            {
                acceptingCount += a ? 1 : 0;
            }

            var nextAccepting = 0;
            var nextRejecting = acceptingCount;
            var hasBoth = acceptingCount > 0 && acceptingCount < n;
            for (var s = 0; s < n; s++)
            {
                var position = accepting[s] ? nextAccepting++ : nextRejecting++;
                _elements[position] = s;
                _location[s] = position;
                BlockOfState[s] = hasBoth && !accepting[s] ? 1 : 0;
            }

            BlockCount = hasBoth ? 2 : 1;
            _end[0] = hasBoth ? acceptingCount : n;
            _first[1] = acceptingCount;
            _end[1] = n;
        }

        internal int[] BlockOfState { get; }

        internal int BlockCount { get; private set; }

        internal int Size(int block) => _end[block] - _first[block];

        internal int CopyMembers(int block, int[] destination)
        {
            var size = Size(block);
            Array.Copy(_elements, _first[block], destination, 0, size);
            return size;
        }

        internal void Mark(int state, List<int> touched)
        {
            var block = BlockOfState[state];
            if (_marked[block] == 0)
            {
                touched.Add(block);
            }

            var position = _location[state];
            var target = _first[block] + _marked[block]++;
            var other = _elements[target];
            _elements[target] = state;
            _location[state] = target;
            _elements[position] = other;
            _location[other] = position;
        }

        /// <summary>Splits the marked members off, giving the smaller part a new number; -1 when nothing splits.</summary>
        internal int SplitMarked(int block)
        {
            var marked = _marked[block];
            _marked[block] = 0;
            var size = Size(block);
            if (marked == size)
            {
                return -1;
            }

            var newBlock = BlockCount++;
            var boundary = _first[block] + marked;
            if (marked <= size - marked)
            {
                _first[newBlock] = _first[block];
                _end[newBlock] = boundary;
                _first[block] = boundary;
            }
            else
            {
                _first[newBlock] = boundary;
                _end[newBlock] = _end[block];
                _end[block] = boundary;
            }

            for (var i = _first[newBlock]; i < _end[newBlock]; i++)
            {
                BlockOfState[_elements[i]] = newBlock;
            }

            return newBlock;
        }
    }
}
