using CsCheck;
using Keyless.Trust.Automata;

namespace Keyless.Trust.Tests.Automata;

public sealed class MinimizerTests
{
    private static readonly Alphabet SmallAlphabet = Alphabet.For(["ab"]);

    /// <summary>Random complete tables with one column per class, deliberately far from minimal.</summary>
    private static readonly Gen<(int[] Next, bool[] Accepting)> RawTable =
        Gen.Int[1, 9].SelectMany(n =>
            Gen.Select(
                Gen.Int[0, n - 1].Array[n * SmallAlphabet.Size],
                Gen.Bool.Array[n]));

    [Fact]
    public void Should_PreserveTheLanguage_When_Minimized()
    {
        Gen.Select(RawTable, AutomataGen.Probes).Sample((table, probes) =>
        {
            var raw = new Dfa(SmallAlphabet, table.Next, table.Accepting);
            var minimal = raw.Minimize();
            foreach (var probe in probes)
            {
                Assert.Equal(raw.Accepts(probe), minimal.Accepts(probe));
            }
        });
    }

    [Fact]
    public void Should_ReachTheNerodeSize_When_Minimized()
    {
        RawTable.Sample(table =>
        {
            var raw = new Dfa(SmallAlphabet, table.Next, table.Accepting);
            var minimal = raw.Minimize();
            Assert.True(minimal.StateCount <= raw.StateCount);
            Assert.Equal(AutomataGen.NerodeClassCount(table.Next, table.Accepting, SmallAlphabet.Size), minimal.StateCount);
        });
    }

    [Fact]
    public void Should_ProduceIdenticalAutomata_When_LanguagesAreEqual()
    {
        RawTable.Sample(table =>
        {
            var raw = new Dfa(SmallAlphabet, table.Next, table.Accepting);
            var minimal = raw.Minimize();
            Assert.Same(minimal, minimal.Minimize());
            Assert.True(raw.IsEquivalentTo(minimal));
            Assert.True(minimal.Complement().Complement().IsEquivalentTo(minimal));

            // Reached by another route, the same language gets the same canonical table.
            var rebuilt = minimal.Union(Dfa.Empty(SmallAlphabet));
            Assert.True(minimal.IsEquivalentTo(rebuilt));
            Assert.Equal(minimal.StateCount, rebuilt.StateCount);
        });
    }

    [Fact]
    public void Should_KeepOneState_When_LanguageIsEmptyOrUniversal()
    {
        var alphabet = Alphabet.For(["ab"]);

        Assert.Equal(1, Dfa.Empty(alphabet).StateCount);
        Assert.Equal(1, Dfa.AnyString(alphabet).StateCount);
        Assert.Equal(1, Dfa.Glob(alphabet, "a").Minus(Dfa.Glob(alphabet, "?")).StateCount);
        Assert.Equal(1, Dfa.Glob(alphabet, "*").Union(Dfa.Glob(alphabet, "a*")).StateCount);
    }

    [Fact]
    public void Should_CountStatesOfTheMinimalAutomaton_When_GlobIsBuilt()
    {
        var alphabet = Alphabet.For(["main"]);

        // start, m, ma, mai, main, dead
        Assert.Equal(6, Dfa.Glob(alphabet, "main").StateCount);

        // start, m, ma, mai, main (accepting, loops), dead
        Assert.Equal(6, Dfa.Glob(alphabet, "main*").StateCount);
    }
}
