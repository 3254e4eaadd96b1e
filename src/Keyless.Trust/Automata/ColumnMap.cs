using System.Runtime.CompilerServices;

namespace Keyless.Trust.Automata;

/// <summary>
/// Groups an alphabet's classes into columns: classes an automaton treats alike share a column, so tables
/// hold one entry per column rather than per class. Most automata only tell a few of the classes apart.
/// </summary>
internal sealed class ColumnMap
{
    internal ColumnMap(Alphabet alphabet, int[] classToColumn, int count)
    {
        Alphabet = alphabet;
        ClassToColumn = classToColumn;
        Count = count;
    }

    internal Alphabet Alphabet { get; }

    internal int[] ClassToColumn { get; }

    internal int Count { get; }

    /// <summary>Each listed class gets a column of its own; all other classes share one last column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ColumnMap Distinguishing(Alphabet alphabet, IEnumerable<int> classes)
    {
        var map = new int[alphabet.Size];
        Array.Fill(map, -1);
        var count = 0;
        foreach (var cls in classes)
        {
            if (map[cls] < 0)
            {
                map[cls] = count++;
            }
        }

        var other = -1;
        for (var cls = 0; cls < map.Length; cls++)
        {
            if (map[cls] < 0)
            {
                if (other < 0)
                {
                    other = count++;
                }

                map[cls] = other;
            }
        }

        return new ColumnMap(alphabet, map, count);
    }

    /// <summary>
    /// The coarsest columns refining the columns of both automata; <paramref name="leftColumn"/>[j] and
    /// <paramref name="rightColumn"/>[j] give each automaton's column for column j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ColumnMap Common(Dfa left, Dfa right, out int[] leftColumn, out int[] rightColumn)
    {
        var leftMap = left.ClassToColumn;
        var rightMap = right.ClassToColumn;
        var rightCount = right.ColumnCount;
        var ids = new int[left.ColumnCount * rightCount];
        Array.Fill(ids, -1);
        var map = new int[leftMap.Length];
        var lefts = new List<int>();
        var rights = new List<int>();
        for (var cls = 0; cls < map.Length; cls++)
        {
            var slot = (leftMap[cls] * rightCount) + rightMap[cls];
            if (ids[slot] < 0)
            {
                ids[slot] = lefts.Count;
                lefts.Add(leftMap[cls]);
                rights.Add(rightMap[cls]);
            }

            map[cls] = ids[slot];
        }

        leftColumn = [.. lefts];
        rightColumn = [.. rights];
        return new ColumnMap(left.Alphabet, map, lefts.Count);
    }
}
