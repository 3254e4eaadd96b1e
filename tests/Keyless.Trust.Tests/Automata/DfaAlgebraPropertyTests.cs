using CsCheck;
using Keyless.Trust.Automata;

namespace Keyless.Trust.Tests.Automata;

public sealed class DfaAlgebraPropertyTests
{
    private static readonly Gen<(string Left, string Right, string[] Probes)> TwoPatterns =
        Gen.Select(AutomataGen.Pattern, AutomataGen.Pattern, AutomataGen.Probes);

    [Fact]
    public void Should_AgreeWithBooleanOperators_When_LanguagesAreCombined()
    {
        TwoPatterns.Sample((left, right, probes) =>
        {
            var alphabet = Alphabet.For([left, right]);
            var a = Dfa.Glob(alphabet, left);
            var b = Dfa.Glob(alphabet, right);
            var intersection = a.Intersect(b);
            var union = a.Union(b);
            var difference = a.Minus(b);
            var complement = a.Complement();
            foreach (var probe in probes)
            {
                var inA = AutomataGen.GlobMatches(left, probe);
                var inB = AutomataGen.GlobMatches(right, probe);
                Assert.Equal(inA && inB, intersection.Accepts(probe));
                Assert.Equal(inA || inB, union.Accepts(probe));
                Assert.Equal(inA && !inB, difference.Accepts(probe));
                Assert.Equal(!inA, complement.Accepts(probe));
            }
        });
    }

    [Fact]
    public void Should_SatisfySetLaws_When_LanguagesAreCombined()
    {
        TwoPatterns.Sample((left, right, _) =>
        {
            var alphabet = Alphabet.For([left, right]);
            var a = Dfa.Glob(alphabet, left);
            var b = Dfa.Glob(alphabet, right);

            Assert.True(a.Union(b).IsEquivalentTo(b.Union(a)));
            Assert.True(a.Intersect(b).IsEquivalentTo(b.Intersect(a)));
            Assert.True(a.Minus(b).IsEquivalentTo(a.Intersect(b.Complement())));
            Assert.True(a.Union(b).Complement().IsEquivalentTo(a.Complement().Intersect(b.Complement())));
            Assert.True(a.Complement().Complement().IsEquivalentTo(a));
            Assert.True(a.Intersect(b).IsSubsetOf(a));
            Assert.True(a.IsSubsetOf(a.Union(b)));
            Assert.True(a.Minus(a).IsEmpty);
            Assert.True(a.Union(a.Complement()).IsEquivalentTo(Dfa.AnyString(alphabet)));
        });
    }

    [Fact]
    public void Should_AgreeWithConcatenatedMatching_When_LanguagesAreConcatenated()
    {
        TwoPatterns.Sample((left, right, probes) =>
        {
            var alphabet = Alphabet.For([left, right]);
            var concatenation = Dfa.Glob(alphabet, left).Concat(Dfa.Glob(alphabet, right));
            foreach (var probe in probes)
            {
                var expected = Enumerable.Range(0, probe.Length + 1)
                    .Any(i => AutomataGen.GlobMatches(left, probe[..i]) && AutomataGen.GlobMatches(right, probe[i..]));
                Assert.Equal(expected, concatenation.Accepts(probe));
            }
        });
    }

    [Fact]
    public void Should_AcceptRepetitions_When_StarPlusAndOptionalAreApplied()
    {
        Gen.Select(AutomataGen.Pattern, AutomataGen.Probes).Sample((pattern, probes) =>
        {
            var alphabet = Alphabet.For([pattern]);
            var a = Dfa.Glob(alphabet, pattern);
            var star = a.Star();
            var plus = a.Plus();
            var optional = a.Optional();
            foreach (var probe in probes)
            {
                var inStar = InRepetition(pattern, probe);
                Assert.Equal(inStar, star.Accepts(probe));
                Assert.Equal(probe.Length == 0 ? AutomataGen.GlobMatches(pattern, probe) : inStar, plus.Accepts(probe));
                Assert.Equal(probe.Length == 0 || AutomataGen.GlobMatches(pattern, probe), optional.Accepts(probe));
            }
        });
    }

    [Fact]
    public void Should_AgreeWithProbing_When_SubsetAndEquivalenceAreDecided()
    {
        TwoPatterns.Sample((left, right, probes) =>
        {
            var alphabet = Alphabet.For([left, right]);
            var a = Dfa.Glob(alphabet, left);
            var b = Dfa.Glob(alphabet, right);
            if (a.IsSubsetOf(b))
            {
                Assert.All(probes.Where(a.Accepts), probe => Assert.True(b.Accepts(probe)));
            }
            else
            {
                // A refuted inclusion comes with a counterexample.
                var witness = a.Minus(b).ShortestMember();
                Assert.NotNull(witness);
                Assert.True(a.Accepts(witness));
                Assert.False(b.Accepts(witness));
            }

            Assert.Equal(a.IsSubsetOf(b) && b.IsSubsetOf(a), a.IsEquivalentTo(b));
            Assert.True(a.IsEquivalentTo(Dfa.Glob(alphabet, left)));
        });
    }

    [Fact]
    public void Should_FindShortestAcceptedString_When_LanguageIsNotEmpty()
    {
        TwoPatterns.Sample((left, right, _) =>
        {
            var alphabet = Alphabet.For([left, right]);
            var language = Dfa.Glob(alphabet, left).Minus(Dfa.Glob(alphabet, right));
            var shortest = language.ShortestMember();
            var members = language.Enumerate(50);
            if (shortest is null)
            {
                Assert.True(language.IsEmpty);
                Assert.Empty(members);
                return;
            }

            Assert.False(language.IsEmpty);
            Assert.True(language.Accepts(shortest));
            Assert.NotEmpty(members);
            Assert.Equal(members[0].Length, shortest.Length);
        });
    }

    [Fact]
    public void Should_ListAcceptedStringsInShortlexOrder_When_Enumerated()
    {
        TwoPatterns.Sample((left, right, _) =>
        {
            var alphabet = Alphabet.For([left, right]);
            var language = Dfa.Glob(alphabet, left).Union(Dfa.Glob(alphabet, right));
            var members = language.Enumerate(30);
            Assert.All(members, member => Assert.True(language.Accepts(member)));
            for (var i = 1; i < members.Count; i++)
            {
                Assert.True(AutomataGen.CompareShortlex(members[i - 1], members[i]) < 0, $"{members[i - 1]} before {members[i]}");
            }
        });
    }

    [Fact]
    public void Should_ListEveryMember_When_LanguageIsFinite()
    {
        // Patterns without '*' and with at most one '?' have few members; probes are written with representatives.
        var finitePattern = Gen.Char["ab/:?"].Array[0, 5].Select(chars => new string(chars)).Where(p => p.Count(c => c == '?') <= 1);
        Gen.Select(finitePattern, AutomataGen.Probes).Sample((pattern, probes) =>
        {
            var alphabet = Alphabet.For([pattern]);
            var language = Dfa.Glob(alphabet, pattern);
            Assert.True(language.IsFinite);
            var members = language.Enumerate(int.MaxValue);
            Assert.Equal(pattern.Contains('?', StringComparison.Ordinal) ? alphabet.Size : 1, members.Count);
            foreach (var probe in probes)
            {
                var written = new string(probe.Select(c => alphabet.Representative(alphabet.ClassOf(c))).ToArray());
                Assert.Equal(language.Accepts(written), members.Contains(written));
            }
        });
    }

    [Fact]
    public void Should_ReportInfinite_When_PatternHasAStar()
    {
        Gen.Select(AutomataGen.Pattern, AutomataGen.Pattern).Sample((left, right) =>
        {
            var alphabet = Alphabet.For([left, right]);
            var language = Dfa.Glob(alphabet, left);
            Assert.Equal(left.Contains('*', StringComparison.Ordinal), !language.IsFinite);
        });
    }

    [Fact]
    public void Should_ReconstructTheLanguage_When_SplitAtSeparator()
    {
        TwoPatterns.Sample((left, right, probes) =>
        {
            var alphabet = Alphabet.For([left, right]);
            var language = Dfa.Glob(alphabet, left).Union(Dfa.Glob(alphabet, right));
            var parts = language.SplitAt(':');
            var colon = Dfa.Literal(alphabet, ":");

            var rebuilt = Dfa.Empty(alphabet);
            foreach (var part in parts)
            {
                Assert.False(part.Head.IsEmpty);
                Assert.False(part.Tail.IsEmpty);
                Assert.True(part.Head.Intersect(Dfa.Glob(alphabet, "*:*")).IsEmpty);
                rebuilt = rebuilt.Union(Dfa.Sequence(alphabet, part.Head, colon, part.Tail));
            }

            Assert.True(rebuilt.IsEquivalentTo(language.Intersect(Dfa.Glob(alphabet, "*:*"))));
            foreach (var probe in probes.Where(p => p.Contains(':', StringComparison.Ordinal)))
            {
                var at = probe.IndexOf(':', StringComparison.Ordinal);
                var head = probe[..at];
                var tail = probe[(at + 1)..];
                Assert.Equal(language.Accepts(probe), parts.Any(part => part.Head.Accepts(head) && part.Tail.Accepts(tail)));
            }
        });
    }

    [Fact]
    public void Should_AcceptTheRest_When_PrefixIsRead()
    {
        Gen.Select(AutomataGen.Pattern, AutomataGen.Probe, AutomataGen.Probes).Sample((pattern, prefix, probes) =>
        {
            var alphabet = Alphabet.For([pattern]);
            var language = Dfa.Glob(alphabet, pattern);
            var rest = language.AfterPrefix(prefix);
            foreach (var probe in probes)
            {
                Assert.Equal(language.Accepts(prefix + probe), rest.Accepts(probe));
            }

            var withPrefix = language.ShortestMemberWithPrefix(prefix);
            Assert.Equal(rest.IsEmpty, withPrefix is null);
            if (withPrefix is not null)
            {
                Assert.StartsWith(prefix, withPrefix, StringComparison.Ordinal);
                Assert.True(language.Accepts(withPrefix));
                Assert.Equal(rest.ShortestMember()!.Length, withPrefix.Length - prefix.Length);
            }
        });
    }

    private static bool InRepetition(string pattern, string text) =>
        text.Length == 0 || InRepetitionNonEmpty(pattern, text);

    /// <summary>text is a concatenation of one or more non-empty matches of pattern.</summary>
    private static bool InRepetitionNonEmpty(string pattern, string text)
    {
        var reachable = new bool[text.Length + 1];
        reachable[0] = true;
        for (var i = 0; i < text.Length; i++)
        {
            if (!reachable[i])
            {
                continue;
            }

            for (var j = i + 1; j <= text.Length; j++)
            {
                reachable[j] |= AutomataGen.GlobMatches(pattern, text[i..j]);
            }
        }

        return text.Length > 0 && reachable[text.Length];
    }
}
