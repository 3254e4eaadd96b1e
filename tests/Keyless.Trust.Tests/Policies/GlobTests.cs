using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Policies;

/// <summary>IAM's whole-string wildcard match, checked by example and against a regular-expression reference.</summary>
public sealed class GlobTests
{
    private static readonly Gen<string> Pattern = Gen.Char["ab/:*?"].Array[0, 8].Select(chars => new string(chars));
    private static readonly Gen<string> Value = Gen.Char["ab/:*?"].Array[0, 10].Select(chars => new string(chars));

    /// <summary>The reference: escape everything, then <c>*</c> → <c>.*</c> and <c>?</c> → <c>.</c>, anchored at both ends.</summary>
    private static bool Reference(string pattern, string value)
    {
        var regex = new StringBuilder(@"\A");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        regex.Append(@"\z");
        return Regex.IsMatch(value, regex.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("main*", "main", true)]
    [InlineData("a*", "a/b:c", true)]
    [InlineData("*b", "a/b", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("a?c", "abbc", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("abc", "abcd", false)]
    [InlineData("abc", "ABC", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("?", "\n", true)]
    public void Should_MatchTheWholeString_When_PatternHasWildcards(string pattern, string value, bool expected)
    {
        // Given a pattern and a value

        // When
        var matched = Glob.Matches(pattern, value);

        // Then
        Assert.Equal(expected, matched);
        Assert.Equal(expected, Reference(pattern, value));
    }

    [Fact]
    public void Should_AgreeWithTheRegexReference_When_PatternsAndValuesAreRandom()
    {
        // Given random patterns and values over a small alphabet with both wildcards and the separators
        var cases = Gen.Select(Pattern, Value);

        // When / Then
        cases.Sample((pattern, value) => Glob.Matches(pattern, value) == Reference(pattern, value), iter: 20_000);
    }

    [Fact]
    public void Should_MatchItself_When_PatternHasNoWildcards()
    {
        // Given random literal values
        var literal = Gen.Char["ab/:$"].Array[0, 12].Select(chars => new string(chars));

        // When / Then
        literal.Sample(value => Glob.Matches(value, value), iter: 2_000);
    }
}
