using System.Runtime.CompilerServices;

namespace Keyless.Trust.Automata;

/// <summary>
/// A partition of all UTF-16 chars into a few classes, so that automata have one transition per class
/// instead of one per char. Every char of the literal texts an analysis involves (and its case variants)
/// is a class of its own; every other char falls into one of a few classes defined by the fixed
/// predicates of <see cref="CharGroup"/>, which are the only predicates the GitLab grammar tests.
/// </summary>
public sealed class Alphabet
{
    // Glob syntax and the GitLab grammar look at these chars individually, so they are always singleton classes.
    private const string StructuralChars = ":/.-_@{}~^?*[\\ ";

    private const int GroupCount = 5;

    // Non-ASCII members tried, besides all ASCII members, when checking that a predicate is constant on a class.
    private static readonly char[] NonAsciiSamples =
        ['\u0080', '\u009f', '\u00a0', '\u00e9', '\u00ff', '\u0100', '\u0131', '\u017f', '\u0400', '\u2028', '\u212a', '\u3000', '\ud800', '\udfff', '\ue000', '\ufeff', '\uffff'];

    private static readonly string[] GroupRepresentativeCandidates =
    [
        "abcdefghijklmnopqrstuvwxyz",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "0123456789",
        "+=!#$%&,;<>|'\"`()]",
        "\t\n\r",
    ];

    private readonly int[] _asciiClass = new int[128];
    private readonly Dictionary<char, int> _nonAsciiSingletons = [];
    private readonly int[] _groupClass = new int[GroupCount];
    private readonly char[] _representatives;
    private readonly bool[] _isSingleton;
    private readonly int[] _classesByPreference;
    private readonly int[] _classesByOrdinal;
    private readonly char[] _distinguished;

    private Alphabet(HashSet<char> distinguished)
    {
        _distinguished = [.. distinguished];
        Array.Sort(_distinguished);

        var representatives = new List<char>(_distinguished.Length + GroupCount);
        foreach (var c in _distinguished)
        {
            if (c < 128)
            {
                _asciiClass[c] = representatives.Count;
            }
            else
            {
                _nonAsciiSingletons.Add(c, representatives.Count);
            }

            representatives.Add(c);
        }

        var singletonCount = representatives.Count;
        for (var g = 0; g < GroupCount; g++)
        {
            _groupClass[g] = -1;
            if (FindGroupRepresentative((CharGroup)g, distinguished) is { } representative)
            {
                _groupClass[g] = representatives.Count;
                representatives.Add(representative);
            }
        }

        for (var c = 0; c < 128; c++)
        {
            if (!distinguished.Contains((char)c))
            {
                _asciiClass[c] = _groupClass[(int)GroupOf((char)c)];
            }
        }

        _representatives = [.. representatives];
        _isSingleton = new bool[_representatives.Length];
        Array.Fill(_isSingleton, true, 0, singletonCount);

        _classesByOrdinal = new int[Size];
        _classesByPreference = new int[Size];
        for (var i = 0; i < Size; i++)
        {
            _classesByOrdinal[i] = i;
            _classesByPreference[i] = i;
        }

        Array.Sort(_classesByOrdinal, (x, y) => _representatives[x].CompareTo(_representatives[y]));
        Array.Sort(_classesByPreference, (x, y) => ReadabilityRank(_representatives[x]).CompareTo(ReadabilityRank(_representatives[y])));
    }

    /// <summary>Number of classes.</summary>
    public int Size => _representatives.Length;

    /// <summary>Classes ordered by how readable their representative is in a witness.</summary>
    internal ReadOnlySpan<int> ClassesByPreference => _classesByPreference;

    /// <summary>Classes ordered by the ordinal of their representative (shortlex order of written strings).</summary>
    internal ReadOnlySpan<int> ClassesByOrdinal => _classesByOrdinal;

    /// <summary>
    /// Builds the alphabet for an analysis. Each char of <paramref name="literalTexts"/>, its ordinal-ignore-case
    /// variants, the glob/grammar structural chars and the GitLab grammar keywords become singleton classes.
    /// Wildcards in the texts are harmless: they are structural chars anyway.
    /// </summary>
    public static Alphabet For(IEnumerable<string> literalTexts)
    {
        ArgumentNullException.ThrowIfNull(literalTexts);
        var chars = new HashSet<char>(StructuralChars);
        foreach (var keyword in GitLabKeywords.All)
        {
            AddWithCaseVariants(chars, keyword);
        }

        foreach (var text in literalTexts)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(literalTexts));
            AddWithCaseVariants(chars, text);
        }

        return new Alphabet(chars);
    }

    /// <summary>The class that <paramref name="c"/> belongs to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ClassOf(char c)
    {
        if (c < 128)
        {
            return _asciiClass[c];
        }

        return _nonAsciiSingletons.TryGetValue(c, out var cls) ? cls : _groupClass[(int)GroupOf(c)];
    }

    /// <summary>The char used to write class <paramref name="cls"/> in witnesses.</summary>
    public char Representative(int cls) => _representatives[cls];

    /// <summary>True when the class holds exactly one char, so that automata can tell that char apart.</summary>
    internal bool IsSingleton(int cls) => _isSingleton[cls];

    /// <summary>True when <paramref name="c"/> is a singleton class.</summary>
    private bool Distinguishes(char c) => _isSingleton[ClassOf(c)];

    /// <summary>
    /// True when every class of this alphabet lies inside one class of <paramref name="coarser"/>. Group
    /// classes are defined by the same fixed predicates everywhere, so distinguishing a superset of chars suffices.
    /// </summary>
    internal bool Refines(Alphabet coarser)
    {
        foreach (var c in coarser._distinguished)
        {
            if (!Distinguishes(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Members of class <paramref name="cls"/> worth testing a predicate on: all of a singleton, samples of a group.</summary>
    internal IEnumerable<char> SampleMembers(int cls)
    {
        yield return _representatives[cls];
        if (_isSingleton[cls])
        {
            yield break;
        }

        for (var c = (char)0; c < 128; c++)
        {
            if (_asciiClass[c] == cls)
            {
                yield return c;
            }
        }

        foreach (var c in NonAsciiSamples)
        {
            if (ClassOf(c) == cls)
            {
                yield return c;
            }
        }
    }

    internal static CharGroup GroupOf(char c) => c switch
    {
        >= 'a' and <= 'z' => CharGroup.AsciiLower,
        >= 'A' and <= 'Z' => CharGroup.AsciiUpper,
        >= '0' and <= '9' => CharGroup.AsciiDigit,
        < ' ' or '\u007f' => CharGroup.Control,
        _ => CharGroup.Other,
    };

    private static void AddWithCaseVariants(HashSet<char> chars, string text)
    {
        foreach (var c in text)
        {
            chars.Add(c);
            chars.Add(char.ToUpperInvariant(c));
            chars.Add(char.ToLowerInvariant(c));
            foreach (var variant in CaseFolding.EquivalentChars(c))
            {
                chars.Add(variant);
            }

            foreach (var variant in CaseFolding.EquivalentChars(char.ToLowerInvariant(c)))
            {
                chars.Add(variant);
            }
        }
    }

    private static char? FindGroupRepresentative(CharGroup group, HashSet<char> distinguished)
    {
        foreach (var c in GroupRepresentativeCandidates[(int)group])
        {
            if (GroupOf(c) == group && !distinguished.Contains(c))
            {
                return c;
            }
        }

        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            if (GroupOf(c) == group && !distinguished.Contains(c))
            {
                return c;
            }
        }

        return null;
    }

    // Witnesses read best with lowercase letters, then digits, then the usual path punctuation, then capitals.
    private static int ReadabilityRank(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a',
        >= '0' and <= '9' => 26 + (c - '0'),
        '-' => 36,
        '_' => 37,
        '.' => 38,
        '/' => 39,
        >= 'A' and <= 'Z' => 40 + (c - 'A'),
        _ => 100 + c,
    };
}

/// <summary>The fixed predicates that group the chars an alphabet does not distinguish.</summary>
internal enum CharGroup
{
    AsciiLower,
    AsciiUpper,
    AsciiDigit,

    /// <summary>Everything else git allows in a ref: ASCII punctuation not distinguished, and all non-ASCII chars.</summary>
    Other,

    /// <summary>Control chars below U+0020 and DEL, which git refs forbid.</summary>
    Control,
}
