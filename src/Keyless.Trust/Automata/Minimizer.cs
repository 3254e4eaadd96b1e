using System.Runtime.CompilerServices;

namespace Keyless.Trust.Automata;

/// <summary>
/// Minimization by Hopcroft's partition refinement, run on the live states only (those from which something is
/// accepted), as for a partial transition function (Valmari and Lehtinen): transitions into dead states are never
/// looked at, which matters because most transitions of the analyzer's automata lead to the dead state.
/// The result is canonical: classes with identical transitions share a column, columns are numbered by their
/// first class, and states are numbered breadth-first from the start trying columns in order. Minimal automata
/// of one language over one alphabet therefore have identical tables.
/// </summary>
internal static class Minimizer
{
    /// <summary>
    /// Minimizes the automaton <paramref name="next"/>[state * columns + column] starting at <paramref name="start"/>.
    /// Set <paramref name="mayHaveUnreachableStates"/> when many states may be unreachable from the start, so that
    /// they are dropped before the work rather than after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Dfa Minimize(
        Alphabet alphabet, int[] classToColumn, int columns, int[] next, bool[] accepting, int start, bool mayHaveUnreachableStates = false)
    {
        // A column no class maps to would let phantom transitions keep equivalent states apart.
        (classToColumn, columns, next) = DropUnusedColumns(classToColumn, columns, next, accepting.Length);
        if (mayHaveUnreachableStates)
        {
            (next, accepting) = Renumber(columns, null, next, accepting, start);
            start = 0;
        }

        var n = accepting.Length;
        var incoming = new Incoming(columns, n, next, accepting);
        var live = LiveStates(n, accepting, incoming);
        if (!live[start])
        {
            return Dfa.Empty(alphabet);
        }

        var partition = new Partition(n, accepting, live);
        Refine(columns, partition, incoming);
        var (quotientNext, quotientAccepting) = Quotient(columns, next, accepting, live, partition);

        // Blocks of reachable states are reachable; the dead block may not be, but it cannot tell columns apart.
        return Canonicalize(alphabet, classToColumn, columns, quotientNext, quotientAccepting, partition.BlockOfState[start], allRowsReachable: true);
    }

    /// <summary>
    /// Brings an automaton already known to be minimal on the part reachable from <paramref name="start"/> into
    /// canonical form. <paramref name="allRowsReachable"/> says that no other row can tell two columns apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Dfa Canonicalize(
        Alphabet alphabet, int[] classToColumn, int columns, int[] next, bool[] accepting, int start, bool allRowsReachable = false)
    {
        var reachable = allRowsReachable ? AllStates(accepting.Length) : ReachableStates(columns, next, accepting.Length, start);

        // Merge columns with identical transitions on reachable states, numbering them in order of their first class.
        // Columns are compared by a hash built in one row-major pass, then verified entry by entry.
        var hashes = new ulong[columns];
        foreach (var s in reachable)
        {
            var row = s * columns;
            for (var c = 0; c < columns; c++)
            {
                hashes[c] = (hashes[c] * 0x9E3779B97F4A7C15UL) + (ulong)next[row + c] + 1;
            }
        }

        var newColumnOfOld = new int[columns];
        Array.Fill(newColumnOfOld, -1);
        var oldColumnOfNew = new int[columns];
        var m = 0;
        var canonicalMap = new int[classToColumn.Length];
        for (var cls = 0; cls < classToColumn.Length; cls++)
        {
            var old = classToColumn[cls];
            if (newColumnOfOld[old] < 0)
            {
                var id = -1;
                for (var j = 0; j < m && id < 0; j++)
                {
                    var candidate = oldColumnOfNew[j];
                    if (hashes[candidate] == hashes[old] && SameColumn(next, columns, reachable, candidate, old))
                    {
                        id = j;
                    }
                }

                if (id < 0)
                {
                    id = m++;
                    oldColumnOfNew[id] = old;
                }

                newColumnOfOld[old] = id;
            }

            canonicalMap[cls] = newColumnOfOld[old];
        }

        var (canonicalNext, canonicalAccepting) = Renumber(columns, oldColumnOfNew.AsSpan(0, m).ToArray(), next, accepting, start);
        return new Dfa(alphabet, canonicalMap, m, canonicalNext, canonicalAccepting, isMinimal: true);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool SameColumn(int[] next, int columns, int[] rows, int x, int y)
    {
        foreach (var s in rows)
        {
            var row = s * columns;
            if (next[row + x] != next[row + y])
            {
                return false;
            }
        }

        return true;
    }

    private static int[] AllStates(int states)
    {
        var all = new int[states];
        for (var s = 0; s < states; s++)
        {
            all[s] = s;
        }

        return all;
    }

    /// <summary>The states reachable from <paramref name="start"/>, in breadth-first order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] ReachableStates(int columns, int[] next, int states, int start)
    {
        var seen = new bool[states];
        var order = new int[states];
        var count = 0;
        seen[start] = true;
        order[count++] = start;
        for (var head = 0; head < count; head++)
        {
            var row = order[head] * columns;
            for (var c = 0; c < columns; c++)
            {
                var target = next[row + c];
                if (!seen[target])
                {
                    seen[target] = true;
                    order[count++] = target;
                }
            }
        }

        return order.AsSpan(0, count).ToArray();
    }

    /// <summary>
    /// Keeps the states reachable from <paramref name="start"/>, numbered breadth-first trying the columns
    /// <paramref name="keptColumns"/> (all when null) in order, which become the new columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Next, bool[] Accepting) Renumber(int columns, int[]? keptColumns, int[] next, bool[] accepting, int start)
    {
        var m = keptColumns?.Length ?? columns;
        var newId = new int[accepting.Length];
        Array.Fill(newId, -1);
        var order = new int[accepting.Length];
        var result = new int[accepting.Length * m];
        var count = 0;
        newId[start] = 0;
        order[count++] = start;
        for (var head = 0; head < count; head++)
        {
            var row = order[head] * columns;
            var newRow = head * m;
            for (var j = 0; j < m; j++)
            {
                var target = next[row + (keptColumns is null ? j : keptColumns[j])];
                if (newId[target] < 0)
                {
                    newId[target] = count;
                    order[count++] = target;
                }

                result[newRow + j] = newId[target];
            }
        }

        var resultAccepting = new bool[count];
        for (var s = 0; s < count; s++)
        {
            resultAccepting[s] = accepting[order[s]];
        }

        return (count == accepting.Length ? result : result.AsSpan(0, count * m).ToArray(), resultAccepting);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool[] LiveStates(int n, bool[] accepting, Incoming incoming)
    {
        var live = new bool[n];
        var stack = new int[n];
        var top = 0;
        for (var s = 0; s < n; s++)
        {
            if (accepting[s])
            {
                live[s] = true;
                stack[top++] = s;
            }
        }

        var start = incoming.Start;
        var preds = incoming.Preds;
        while (top > 0)
        {
            var s = stack[--top];
            for (var e = start[s]; e < start[s + 1]; e++)
            {
                var pred = preds[e];
                if (!live[pred])
                {
                    live[pred] = true;
                    stack[top++] = pred;
                }
            }
        }

        return live;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Refine(int columns, Partition partition, Incoming incoming)
    {
        // With a partial transition function every initial block must be a splitter; afterwards the smaller half suffices.
        var n = partition.BlockOfState.Length;
        var worklist = new int[n + 1];
        var inWorklist = new bool[n + 1];
        var top = 0;
        for (var b = 0; b < partition.BlockCount; b++)
        {
            worklist[top++] = b;
            inWorklist[b] = true;
        }

        // Incoming transitions of a splitter, bucketed by column as singly linked lists.
        var bucketHead = new int[columns];
        Array.Fill(bucketHead, -1);
        var bucketNext = new int[incoming.Preds.Length];
        var usedColumns = new int[columns];
        var splitter = new int[n];
        var touched = new int[n];
        var start = incoming.Start;
        var preds = incoming.Preds;
        var cols = incoming.Columns;
        while (top > 0)
        {
            var block = worklist[--top];
            inWorklist[block] = false;

            // The splitter is the block as it was when taken; splitting by it stays sound if it is split meanwhile.
            var splitterSize = partition.CopyMembers(block, splitter);
            var usedCount = 0;
            for (var i = 0; i < splitterSize; i++)
            {
                var s = splitter[i];
                for (var e = start[s]; e < start[s + 1]; e++)
                {
                    var c = cols[e];
                    if (bucketHead[c] < 0)
                    {
                        usedColumns[usedCount++] = c;
                    }

                    bucketNext[e] = bucketHead[c];
                    bucketHead[c] = e;
                }
            }

            for (var u = 0; u < usedCount; u++)
            {
                var c = usedColumns[u];
                var touchedCount = 0;
                for (var e = bucketHead[c]; e >= 0; e = bucketNext[e])
                {
                    partition.Mark(preds[e], touched, ref touchedCount);
                }

                bucketHead[c] = -1;
                for (var t = 0; t < touchedCount; t++)
                {
                    var touchedBlock = touched[t];
                    var newBlock = partition.SplitMarked(touchedBlock);
                    if (newBlock < 0)
                    {
                        continue;
                    }

                    if (inWorklist[touchedBlock])
                    {
                        worklist[top++] = newBlock;
                        inWorklist[newBlock] = true;
                    }
                    else
                    {
                        var smaller = partition.Size(newBlock) <= partition.Size(touchedBlock) ? newBlock : touchedBlock;
                        worklist[top++] = smaller;
                        inWorklist[smaller] = true;
                    }
                }
            }
        }
    }

    /// <summary>One state per block of live states, plus one dead state standing for all other states.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Next, bool[] Accepting) Quotient(int columns, int[] next, bool[] accepting, bool[] live, Partition partition)
    {
        var n = accepting.Length;
        var blockCount = partition.BlockCount;
        var dead = blockCount;
        var blockOf = partition.BlockOfState;
        var quotientNext = new int[(blockCount + 1) * columns];
        var quotientAccepting = new bool[blockCount + 1];
        var done = new bool[blockCount];
        for (var s = 0; s < n; s++)
        {
            if (!live[s])
            {
                blockOf[s] = dead;
                continue;
            }

            var b = blockOf[s];
            if (done[b])
            {
                continue;
            }

            done[b] = true;
            quotientAccepting[b] = accepting[s];
            var row = s * columns;
            var blockRow = b * columns;
            for (var c = 0; c < columns; c++)
            {
                var target = next[row + c];
                quotientNext[blockRow + c] = live[target] ? blockOf[target] : dead;
            }
        }

        for (var c = 0; c < columns; c++)
        {
            quotientNext[(dead * columns) + c] = dead;
        }

        return (quotientNext, quotientAccepting);
    }

    /// <summary>
    /// Transitions grouped by target state: those into state t are entries Start[t] .. Start[t+1], each with its
    /// source in <see cref="Preds"/> and its column in <see cref="Columns"/>.
    /// </summary>
    private sealed class Incoming
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal Incoming(int columns, int n, int[] next, bool[] accepting)
        {
            // Transitions into an obviously dead state (rejecting, looping on every column) are never needed:
            // dead states are neither live nor in any block. Most transitions of the analyzer's automata are such.
            var dead = new bool[n];
            for (var s = 0; s < n; s++)
            {
                var loops = !accepting[s];
                var row = s * columns;
                for (var c = 0; c < columns && loops; c++)
                {
                    loops = next[row + c] == s;
                }

                dead[s] = loops;
            }

            // Count, sum up to range ends, then fill backwards so that each range end moves to its start.
            Start = new int[n + 1];
            var total = 0;
            for (var i = 0; i < n * columns; i++)
            {
                if (!dead[next[i]])
                {
                    Start[next[i]]++;
                    total++;
                }
            }

            for (var t = 1; t <= n; t++)
            {
                Start[t] += Start[t - 1];
            }

            Preds = new int[total];
            Columns = new int[total];
            for (var s = n - 1; s >= 0; s--)
            {
                var row = s * columns;
                for (var c = columns - 1; c >= 0; c--)
                {
                    var target = next[row + c];
                    if (!dead[target])
                    {
                        var e = --Start[target];
                        Preds[e] = s;
                        Columns[e] = c;
                    }
                }
            }
        }

        internal int[] Start { get; }

        internal int[] Preds { get; }

        internal int[] Columns { get; }
    }

    /// <summary>
    /// Blocks of live states as contiguous ranges of <c>_elements</c>; marked members are moved to the front of
    /// their block. Dead states belong to no block.
    /// </summary>
    private sealed class Partition
    {
        private readonly int[] _elements;
        private readonly int[] _location;
        private readonly int[] _first;
        private readonly int[] _end;
        private readonly int[] _marked;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal Partition(int n, bool[] accepting, bool[] live)
        {
            _elements = new int[n];
            _location = new int[n];
            BlockOfState = new int[n];
            _first = new int[n + 1];
            _end = new int[n + 1];
            _marked = new int[n + 1];

            var acceptingCount = 0;
            var liveCount = 0;
            for (var s = 0; s < n; s++)
            {
                acceptingCount += accepting[s] ? 1 : 0;
                liveCount += live[s] ? 1 : 0;
            }

            // Every accepting state is live.
            var nextAccepting = 0;
            var nextRejecting = acceptingCount;
            var hasRejecting = liveCount > acceptingCount;
            for (var s = 0; s < n; s++)
            {
                if (!live[s])
                {
                    BlockOfState[s] = -1;
                    continue;
                }

                var position = accepting[s] ? nextAccepting++ : nextRejecting++;
                _elements[position] = s;
                _location[s] = position;
                BlockOfState[s] = accepting[s] || acceptingCount == 0 ? 0 : 1;
            }

            if (acceptingCount > 0 && hasRejecting)
            {
                BlockCount = 2;
                _end[0] = acceptingCount;
                _first[1] = acceptingCount;
                _end[1] = liveCount;
            }
            else
            {
                BlockCount = liveCount > 0 ? 1 : 0;
                _end[0] = liveCount;
            }
        }

        internal int[] BlockOfState { get; }

        internal int BlockCount { get; private set; }

        internal int Size(int block) => _end[block] - _first[block];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal int CopyMembers(int block, int[] destination)
        {
            var size = Size(block);
            Array.Copy(_elements, _first[block], destination, 0, size);
            return size;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal void Mark(int state, int[] touched, ref int touchedCount)
        {
            var block = BlockOfState[state];
            if (_marked[block] == 0)
            {
                touched[touchedCount++] = block;
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
