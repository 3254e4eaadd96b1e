using Keyless.Trust.Automata;

namespace Keyless.Trust.Tests.Automata;

public sealed class DfaTests
{
    [Fact]
    public void Should_PreferLowercaseLetters_When_ShortestMemberHasFreeChars()
    {
        var alphabet = Alphabet.For(["v?"]);

        Assert.Equal("va", Dfa.Glob(alphabet, "v?").ShortestMember());
        Assert.Equal("v0", Dfa.Glob(alphabet, "v?").Minus(Dfa.Literal(alphabet, "v").Concat(Dfa.CharClass(alphabet, char.IsAsciiLetter))).ShortestMember());
        Assert.Equal(string.Empty, Dfa.AnyString(alphabet).ShortestMember());
        Assert.Null(Dfa.Empty(alphabet).ShortestMember());
    }

    [Fact]
    public void Should_RankDigitsThenPunctuationThenCapitals_When_LettersAreExcluded()
    {
        // Given
        var alphabet = Alphabet.For([]);
        var oneChar = Dfa.CharClass(alphabet, static _ => true);
        Dfa Without(Func<char, bool> excluded) => oneChar.Minus(Dfa.CharClass(alphabet, excluded));

        // Then
        Assert.Equal("a", oneChar.ShortestMember());
        Assert.Equal("0", Without(char.IsAsciiLetter).ShortestMember());
        Assert.Equal("-", Without(char.IsAsciiLetterOrDigit).ShortestMember());
        Assert.Equal("A", Without(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.' or '/').ShortestMember());
    }

    [Fact]
    public void Should_ListMembersByLengthThenOrdinal_When_Enumerated()
    {
        var alphabet = Alphabet.For(["a", "b"]);
        var language = Dfa.OneOf(alphabet, ["b", "ab", "a", "ba", "abc"]);

        Assert.Equal(["a", "b", "ab", "ba"], language.Enumerate(4));
        Assert.Empty(language.Enumerate(0));
        Assert.Empty(Dfa.Empty(alphabet).Enumerate(10));
        Assert.Equal([string.Empty], Dfa.Literal(alphabet, string.Empty).Enumerate(10));
    }

    [Fact]
    public void Should_StopAtTheLimit_When_LanguageIsInfinite()
    {
        var alphabet = Alphabet.For(["ab"]);
        var language = Dfa.Literal(alphabet, "ab").Star();

        Assert.Equal([string.Empty, "ab", "abab"], language.Enumerate(3));
        Assert.False(language.IsFinite);
        Assert.True(Dfa.Literal(alphabet, "ab").IsFinite);
        Assert.True(Dfa.Empty(alphabet).IsFinite);
    }

    [Fact]
    public void Should_SplitSubIntoItsComponents_When_SplitAtColon()
    {
        // Given
        var alphabet = Alphabet.For(["project_path:mygroup/*"]);
        var language = Dfa.Glob(alphabet, "project_path:mygroup/*").Intersect(GitLabGrammar.Sub(alphabet));

        // When
        var afterKey = language.AfterPrefix("project_path:");
        var parts = afterKey.SplitAt(':');

        // Then: the path is the only free component before ':ref_type:'.
        var part = Assert.Single(parts);
        Assert.True(part.Head.Accepts("mygroup/x"));
        Assert.True(part.Head.Accepts("mygroup/x/y"));
        Assert.False(part.Head.Accepts("other/x"));
        Assert.False(part.Head.Accepts("mygroup"));
        Assert.True(part.Tail.Accepts("ref_type:branch:ref:main"));
        Assert.False(part.Tail.Accepts("ref_type:mr:ref:main"));
    }

    [Fact]
    public void Should_KeepOnePairPerState_When_TailsDiffer()
    {
        var alphabet = Alphabet.For(["a:x", "b:y"]);
        var language = Dfa.OneOf(alphabet, ["a:x", "b:y", "ab:x"]);

        var parts = language.SplitAt(':');

        Assert.Equal(2, parts.Count);
        var x = Assert.Single(parts, p => p.Tail.Accepts("x"));
        Assert.True(x.Head.IsEquivalentTo(Dfa.OneOf(alphabet, ["a", "ab"])));
        var y = Assert.Single(parts, p => p.Tail.Accepts("y"));
        Assert.True(y.Head.IsEquivalentTo(Dfa.Literal(alphabet, "b")));
    }

    [Fact]
    public void Should_ReturnNoPairs_When_NoMemberHasTheSeparator()
    {
        var alphabet = Alphabet.For(["ab"]);

        Assert.Empty(Dfa.Literal(alphabet, "ab").SplitAt(':'));
        Assert.Empty(Dfa.Empty(alphabet).SplitAt(':'));
    }

    [Fact]
    public void Should_Throw_When_AutomataUseDifferentAlphabets()
    {
        var first = Dfa.Literal(Alphabet.For(["a"]), "a");
        var second = Dfa.Literal(Alphabet.For(["a"]), "a");

        Assert.Throws<ArgumentException>(() => first.Intersect(second));
        Assert.Throws<ArgumentException>(() => first.Union(second));
        Assert.Throws<ArgumentException>(() => first.Minus(second));
        Assert.Throws<ArgumentException>(() => first.Concat(second));
        Assert.Throws<ArgumentException>(() => first.IsSubsetOf(second));
        Assert.Throws<ArgumentException>(() => first.IsEquivalentTo(second));
    }

    [Fact]
    public void Should_Throw_When_LiteralCharIsNotDistinguished()
    {
        var alphabet = Alphabet.For(["main"]);

        Assert.Throws<ArgumentException>(() => Dfa.Literal(alphabet, "mainz"));
        Assert.Throws<ArgumentException>(() => Dfa.Glob(alphabet, "z*"));
        Assert.Throws<ArgumentException>(() => Dfa.LiteralIgnoreCase(alphabet, "z"));
        Assert.Throws<ArgumentException>(() => Dfa.AnyString(alphabet).SplitAt('z'));
    }

    [Fact]
    public void Should_Throw_When_PredicateSplitsAClass()
    {
        var alphabet = Alphabet.For(["main"]);

        // 'z' and 'x' share the class of undistinguished lowercase letters.
        Assert.Throws<ArgumentException>(() => Dfa.CharClass(alphabet, static c => c == 'z'));
        Assert.Throws<ArgumentException>(() => Dfa.CharClass(alphabet, static c => c == '\u00e9'));
    }

    [Fact]
    public void Should_MatchOneChar_When_PredicateIsAFixedOne()
    {
        var alphabet = Alphabet.For(["main"]);
        var digit = Dfa.CharClass(alphabet, char.IsAsciiDigit);

        Assert.True(digit.Accepts("7"));
        Assert.False(digit.Accepts("77"));
        Assert.False(digit.Accepts("a"));
        Assert.False(digit.Accepts(string.Empty));
    }

    [Fact]
    public void Should_KeepTheLanguage_When_RebasedOntoAFinerAlphabet()
    {
        // Given
        var coarse = Alphabet.For(["main"]);
        var fine = Alphabet.For(["main", "zebra/Éclair"]);
        var language = Dfa.Glob(coarse, "m*n").Intersect(GitLabGrammar.Ref(coarse));

        // When
        var rebased = language.Rebase(fine);

        // Then
        Assert.Same(fine, rebased.Alphabet);
        Assert.Equal(language.StateCount, rebased.StateCount);
        string[] probes = ["main", "mzn", "m/n", "m..n", "mÉn", "mn", "zebra", "m\tn"];
        Assert.All(probes, probe => Assert.Equal(language.Accepts(probe), rebased.Accepts(probe)));
        Assert.True(rebased.IsEquivalentTo(Dfa.Glob(fine, "m*n").Intersect(GitLabGrammar.Ref(fine))));
        Assert.Throws<ArgumentException>(() => Dfa.Literal(fine, "zebra").Rebase(coarse));
    }

    [Fact]
    public void Should_AcceptExactlyTheEmptyString_When_LiteralIsEmpty()
    {
        var alphabet = Alphabet.For([]);
        var empty = Dfa.Literal(alphabet, string.Empty);

        Assert.True(empty.Accepts(string.Empty));
        Assert.False(empty.Accepts("a"));
        Assert.True(Dfa.Sequence(alphabet).IsEquivalentTo(empty));
    }
}
