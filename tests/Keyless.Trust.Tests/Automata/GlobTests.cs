using CsCheck;
using Keyless.Trust.Automata;

namespace Keyless.Trust.Tests.Automata;

public sealed class GlobTests
{
    [Theory]
    [InlineData("main*", "main", true)]
    [InlineData("main*", "main-2", true)]
    [InlineData("*", "", true)]
    [InlineData("project_path:mygroup/*", "project_path:mygroup/a/b:ref_type:branch:ref:x", true)]
    [InlineData("project_path:*:ref_type:branch:ref:main", "project_path:a/b:ref_type:tag:ref:x:ref_type:branch:ref:main", true)]
    [InlineData("project_path:mygroup/*", "project_path:mygroup", false)]
    [InlineData("v?", "v1", true)]
    [InlineData("v?", "v", false)]
    [InlineData("v?", "v12", false)]
    [InlineData("?", "/", true)]
    [InlineData("a?c", "a:c", true)]
    [InlineData("main", "xmain", false)]
    [InlineData("main", "mainx", false)]
    [InlineData("main", "Main", false)]
    [InlineData("*main", "refs/main", true)]
    [InlineData("*main", "main/x", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "a-b-b-c", true)]
    [InlineData("a*b*c", "a-c-b", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    public void Should_MatchLikeIam_When_GlobIsCompiled(string pattern, string text, bool expected)
    {
        // Given
        var alphabet = Alphabet.For([pattern]);

        // When
        var glob = Dfa.Glob(alphabet, pattern);

        // Then
        Assert.Equal(expected, glob.Accepts(text));
    }

    [Fact]
    public void Should_AgreeWithReferenceMatcher_When_PatternsAndStringsAreRandom()
    {
        Gen.Select(AutomataGen.Pattern, AutomataGen.Probes).Sample((pattern, probes) =>
        {
            var glob = Dfa.Glob(Alphabet.For([pattern]), pattern);
            foreach (var probe in probes)
            {
                Assert.Equal(AutomataGen.GlobMatches(pattern, probe), glob.Accepts(probe));
            }
        });
    }

    [Fact]
    public void Should_MatchAcrossManyWords_When_PatternIsLongerThanOneBitSetWord()
    {
        // Given: more than 64 atoms, so position sets span several words.
        var pattern = "project_path:" + new string('a', 60) + "/*:ref_type:?ag:ref:" + new string('b', 40) + "*";
        var alphabet = Alphabet.For([pattern]);

        // When
        var glob = Dfa.Glob(alphabet, pattern);

        // Then
        var accepted = "project_path:" + new string('a', 60) + "/x/y:ref_type:tag:ref:" + new string('b', 41);
        var rejected = "project_path:" + new string('a', 59) + "/x/y:ref_type:tag:ref:" + new string('b', 41);
        Assert.True(glob.Accepts(accepted));
        Assert.False(glob.Accepts(rejected));
    }

    [Fact]
    public void Should_TreatEveryCharLiterally_When_TokensAreBuiltByHand()
    {
        // Given: the caller turned IAM's ${*} and ${?} escapes into literal text.
        var alphabet = Alphabet.For(["a*b?"]);
        GlobToken[] tokens = [GlobToken.Literal("a*b?"), GlobToken.AnyString];

        // When
        var glob = Dfa.Glob(alphabet, tokens);

        // Then
        Assert.True(glob.Accepts("a*b?"));
        Assert.True(glob.Accepts("a*b?tail"));
        Assert.False(glob.Accepts("axb?"));
        Assert.False(glob.Accepts("a*bx"));
    }

    [Fact]
    public void Should_SplitIntoLiteralsAndWildcards_When_PatternIsParsed()
    {
        // When
        var tokens = GlobToken.Parse("project_path:g/*:ref:v?");

        // Then
        GlobToken[] expected =
        [
            GlobToken.Literal("project_path:g/"),
            GlobToken.AnyString,
            GlobToken.Literal(":ref:v"),
            GlobToken.AnyChar,
        ];
        Assert.Equal(expected, tokens);
    }

    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "MAIN", true)]
    [InlineData("main", "MaIn", true)]
    [InlineData("Main", "mAIN", true)]
    [InlineData("main", "mains", false)]
    [InlineData("main", "mai", false)]
    [InlineData("main", "maim", false)]
    public void Should_IgnoreCase_When_LiteralIgnoreCaseIsUsed(string literal, string text, bool expected)
    {
        // Given
        var alphabet = Alphabet.For([literal]);

        // When
        var dfa = Dfa.LiteralIgnoreCase(alphabet, literal);

        // Then
        Assert.Equal(expected, dfa.Accepts(text));
        Assert.Equal(expected, string.Equals(literal, text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Should_AgreeWithOrdinalIgnoreCase_When_StringsUseUnusualCaseVariants()
    {
        // 'ſ' (long s) upper-cases to 'S' and the Kelvin sign lower-cases to 'k'.
        var chars = Gen.Char["sSkK\u017f\u212aiI\u0131x"];
        Gen.Select(chars.Array[0, 3], chars.Array[0, 3]).Sample((literal, text) =>
        {
            var pattern = new string(literal);
            var candidate = new string(text);
            var dfa = Dfa.LiteralIgnoreCase(Alphabet.For([pattern]), pattern);
            Assert.Equal(string.Equals(pattern, candidate, StringComparison.OrdinalIgnoreCase), dfa.Accepts(candidate));
        });
    }

    [Fact]
    public void Should_BeCaseSensitive_When_LiteralIsUsed()
    {
        var alphabet = Alphabet.For(["Main"]);
        var dfa = Dfa.Literal(alphabet, "Main");

        Assert.True(dfa.Accepts("Main"));
        Assert.False(dfa.Accepts("main"));
        Assert.False(dfa.Accepts("MAIN"));
    }

    [Fact]
    public void Should_AcceptExactlyTheGivenStrings_When_OneOfIsUsed()
    {
        var alphabet = Alphabet.For(["main", "master", "ma"]);
        var dfa = Dfa.OneOf(alphabet, ["main", "master", "ma"]);

        Assert.True(dfa.Accepts("main"));
        Assert.True(dfa.Accepts("master"));
        Assert.True(dfa.Accepts("ma"));
        Assert.False(dfa.Accepts("m"));
        Assert.False(dfa.Accepts("mai"));
        Assert.False(dfa.Accepts(""));
        Assert.Equal(["ma", "main", "master"], dfa.Enumerate(10));
    }
}
