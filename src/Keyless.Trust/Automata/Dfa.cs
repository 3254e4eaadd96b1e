using System.Runtime.CompilerServices;

namespace Keyless.Trust.Automata;

/// <summary>
/// An immutable, complete, deterministic automaton over the classes of an <see cref="Alphabet"/>.
/// State 0 is the start state. Transitions live in one flat table of states × columns, where a column is a
/// set of classes the automaton treats alike (most automata tell only a few classes apart). Every public
/// factory and operation returns a minimal automaton in canonical form, so <see cref="StateCount"/> measures
/// the language and equal languages have equal tables. Automata combine only when built over the same
/// <see cref="Alphabet"/> instance.
/// </summary>
public sealed partial class Dfa
{
    private readonly int[] _classToColumn;
    private readonly int _columns;
    private readonly int[] _next;
    private readonly bool[] _accepting;
    private readonly bool _isMinimal;
    private int _deadState = -2;

    /// <summary>
    /// Wraps a transition table: <paramref name="next"/>[state * columns + column] is the successor; state 0 starts.
    /// The table may be longer than <c>accepting.Length * columns</c>; extra rows are ignored.
    /// </summary>
    internal Dfa(Alphabet alphabet, int[] classToColumn, int columns, int[] next, bool[] accepting, bool isMinimal)
    {
        Alphabet = alphabet;
        _classToColumn = classToColumn;
        _columns = columns;
        _next = next;
        _accepting = accepting;
        _isMinimal = isMinimal;
    }

    /// <summary>Wraps a table with one column per class (<paramref name="next"/>[state * alphabet.Size + class]); not minimized.</summary>
    internal Dfa(Alphabet alphabet, int[] next, bool[] accepting)
        : this(alphabet, IdentityMap(alphabet.Size), alphabet.Size, next, accepting, isMinimal: false)
    {
    }

    /// <summary>The alphabet this automaton reads.</summary>
    public Alphabet Alphabet { get; }

    /// <summary>Number of states, including the dead state when there is one.</summary>
    public int StateCount => _accepting.Length;

    internal int ColumnCount => _columns;

    /// <summary>
    /// A rejecting state that loops on every column, or -1. In a minimal automaton it is the only state from
    /// which nothing is accepted; in a raw one some such states may go unnoticed, which only costs speed.
    /// </summary>
    internal int DeadState
    {
        get
        {
            if (_deadState == -2)
            {
                _deadState = FindDeadState();
            }

            return _deadState;
        }
    }

    internal int[] ClassToColumn => _classToColumn;

    /// <summary>The empty language.</summary>
    public static Dfa Empty(Alphabet alphabet)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        return new Dfa(alphabet, new int[alphabet.Size], 1, [0], [false], isMinimal: true);
    }

    /// <summary>Σ*: every string, including the empty one.</summary>
    public static Dfa AnyString(Alphabet alphabet)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        return new Dfa(alphabet, new int[alphabet.Size], 1, [0], [true], isMinimal: true);
    }

    /// <summary>Exactly <paramref name="text"/>, case-sensitively. Every char of it must be distinguished by the alphabet.</summary>
    public static Dfa Literal(Alphabet alphabet, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return OneOf(alphabet, [text]);
    }

    /// <summary>
    /// Every string equal to <paramref name="text"/> under ordinal-ignore-case comparison with the invariant culture:
    /// a char matches a pattern char when their <see cref="char.ToUpperInvariant(char)"/> agree.
    /// </summary>
    public static Dfa LiteralIgnoreCase(Alphabet alphabet, string text)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(text);
        var variantClasses = new List<int>();
        foreach (var c in text)
        {
            foreach (var variant in CaseFolding.EquivalentChars(c))
            {
                variantClasses.Add(SingletonClass(alphabet, variant, nameof(text)));
            }
        }

        var columns = ColumnMap.Distinguishing(alphabet, variantClasses);
        var k = columns.Count;
        var dead = text.Length + 1;
        var next = new int[(text.Length + 2) * k];
        Array.Fill(next, dead);
        var accepting = new bool[text.Length + 2];
        accepting[text.Length] = true;
        for (var i = 0; i < text.Length; i++)
        {
            foreach (var variant in CaseFolding.EquivalentChars(text[i]))
            {
                next[(i * k) + columns.ClassToColumn[alphabet.ClassOf(variant)]] = i + 1;
            }
        }

        return Minimizer.Minimize(alphabet, columns.ClassToColumn, k, next, accepting, 0);
    }

    /// <summary>Exactly the given strings (a finite language), case-sensitively.</summary>
    public static Dfa OneOf(Alphabet alphabet, IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(texts);
        var words = new List<string>();
        var classes = new List<int>();
        foreach (var text in texts)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(texts));
            words.Add(text);
            foreach (var c in text)
            {
                classes.Add(SingletonClass(alphabet, c, nameof(texts)));
            }
        }

        var columns = ColumnMap.Distinguishing(alphabet, classes);
        var k = columns.Count;

        // A trie whose missing edges lead to the dead state 0; the root is state 1.
        var next = new List<int>(new int[2 * k]);
        var accepting = new List<bool> { false, false };
        foreach (var text in words)
        {
            var state = 1;
            foreach (var c in text)
            {
                var slot = (state * k) + columns.ClassToColumn[alphabet.ClassOf(c)];
                if (next[slot] == 0)
                {
                    next[slot] = accepting.Count;
                    for (var i = 0; i < k; i++)
                    {
                        next.Add(0);
                    }

                    accepting.Add(false);
                }

                state = next[slot];
            }

            accepting[state] = true;
        }

        return Minimizer.Minimize(alphabet, columns.ClassToColumn, k, [.. next], [.. accepting], 1);
    }

    /// <summary>
    /// Anchored match of an IAM StringLike pattern: <see cref="GlobToken.AnyString"/> matches any sequence
    /// (including empty, across <c>/</c> and <c>:</c>), <see cref="GlobToken.AnyChar"/> exactly one char,
    /// literal text case-sensitively.
    /// </summary>
    public static Dfa Glob(Alphabet alphabet, IReadOnlyList<GlobToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(tokens);
        return GlobCompiler.Compile(alphabet, tokens, c => SingletonClass(alphabet, c, nameof(tokens)));
    }

    /// <summary>Shorthand for <see cref="Glob(Alphabet, IReadOnlyList{GlobToken})"/> over <see cref="GlobToken.Parse(string)"/>.</summary>
    public static Dfa Glob(Alphabet alphabet, string pattern) => Glob(alphabet, GlobToken.Parse(pattern));

    /// <summary>
    /// Exactly one char satisfying <paramref name="predicate"/>. Only predicates that are constant on every class
    /// are supported: tests of distinguished chars and the fixed groups (ASCII lower, upper, digit, control chars,
    /// everything else). Anything finer throws <see cref="ArgumentException"/> when a sampled member disagrees.
    /// </summary>
    public static Dfa CharClass(Alphabet alphabet, Func<char, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(predicate);
        const int Matching = 0, Other = 1, Dead = 2;
        var map = new int[alphabet.Size];
        for (var cls = 0; cls < map.Length; cls++)
        {
            var verdict = predicate(alphabet.Representative(cls));
            foreach (var member in alphabet.SampleMembers(cls))
            {
                if (predicate(member) != verdict)
                {
                    throw new ArgumentException(
                        $"The predicate is not constant on the class of '{alphabet.Representative(cls)}' (differs at U+{(int)member:X4}).",
                        nameof(predicate));
                }
            }

            map[cls] = verdict ? Matching : Other;
        }

        // Start --matching--> accept; everything else goes to the dead state.
        int[] next = [1, Dead, Dead, Dead, Dead, Dead];
        return Minimizer.Minimize(alphabet, map, 2, next, [false, true, false], 0);
    }

    /// <summary>The concatenation of <paramref name="parts"/> in order; the empty string when there are none.</summary>
    public static Dfa Sequence(Alphabet alphabet, params IReadOnlyList<Dfa> parts)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        ArgumentNullException.ThrowIfNull(parts);
        var result = Literal(alphabet, string.Empty);
        foreach (var part in parts)
        {
            result = result.Concat(part);
        }

        return result;
    }

    /// <summary>True when this automaton accepts <paramref name="text"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Accepts(string text) => _accepting[StateAfter(text)];

    /// <summary>This automaton, minimized and canonically numbered (itself when it already is).</summary>
    public Dfa Minimize() =>
        _isMinimal ? this : Minimizer.Minimize(Alphabet, _classToColumn, _columns, _next, _accepting, 0, mayHaveUnreachableStates: true);

    /// <summary>
    /// The same language over <paramref name="target"/>, which must distinguish every char this alphabet
    /// distinguishes (for example an alphabet built from more literal texts).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Dfa Rebase(Alphabet target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (ReferenceEquals(target, Alphabet))
        {
            return this;
        }

        if (!target.Refines(Alphabet))
        {
            throw new ArgumentException("The target alphabet must distinguish every char the source alphabet distinguishes.", nameof(target));
        }

        // Each class of the target lies inside one class of this alphabet, whose column it inherits; the table is unchanged.
        var map = new int[target.Size];
        for (var cls = 0; cls < map.Length; cls++)
        {
            map[cls] = _classToColumn[Alphabet.ClassOf(target.Representative(cls))];
        }

        // Refining the alphabet keeps a minimal automaton minimal; only the canonical numbering may change.
        return _isMinimal
            ? Minimizer.Canonicalize(target, map, _columns, _next, _accepting, 0)
            : Minimizer.Minimize(target, map, _columns, _next, _accepting, 0, mayHaveUnreachableStates: true);
    }

    internal bool IsAccepting(int state) => _accepting[state];

    internal int StepColumn(int state, int column) => _next[(state * _columns) + column];

    /// <summary>States from which some word is accepted, found by a backward search from the accepting states.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool[] LiveStates()
    {
        var k = _columns;
        var n = StateCount;
        var predStart = new int[n + 1];
        for (var i = 0; i < n * k; i++)
        {
            predStart[_next[i] + 1]++;
        }

        for (var s = 0; s < n; s++)
        {
            predStart[s + 1] += predStart[s];
        }

        var preds = new int[n * k];
        var fill = new int[n];
        for (var i = 0; i < n * k; i++)
        {
            var target = _next[i];
            preds[predStart[target] + fill[target]++] = i / k;
        }

        var live = new bool[n];
        var queue = new Queue<int>();
        for (var s = 0; s < n; s++)
        {
            if (_accepting[s])
            {
                live[s] = true;
                queue.Enqueue(s);
            }
        }

        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            for (var p = predStart[s]; p < predStart[s + 1]; p++)
            {
                if (!live[preds[p]])
                {
                    live[preds[p]] = true;
                    queue.Enqueue(preds[p]);
                }
            }
        }

        return live;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int FindDeadState()
    {
        for (var s = 0; s < StateCount; s++)
        {
            if (_accepting[s])
            {
                continue;
            }

            var loops = true;
            for (var c = 0; c < _columns && loops; c++)
            {
                loops = _next[(s * _columns) + c] == s;
            }

            if (loops)
            {
                return s;
            }
        }

        return -1;
    }

    private static int[] IdentityMap(int size)
    {
        var map = new int[size];
        for (var i = 0; i < size; i++)
        {
            map[i] = i;
        }

        return map;
    }

    private static int SingletonClass(Alphabet alphabet, char c, string parameterName)
    {
        var cls = alphabet.ClassOf(c);
        if (!alphabet.IsSingleton(cls))
        {
            throw new ArgumentException(
                $"The alphabet does not distinguish '{c}' (U+{(int)c:X4}); build it from every literal text of the analysis.",
                parameterName);
        }

        return cls;
    }

    private void RequireSameAlphabet(Dfa other, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(other, parameterName);
        if (!ReferenceEquals(other.Alphabet, Alphabet))
        {
            throw new ArgumentException("Both automata must be built over the same Alphabet instance.", parameterName);
        }
    }
}
