using Keyless.Trust.Automata;

namespace Keyless.Trust.Tests.Automata;

public sealed class WitnessTests
{
    [Fact]
    public void Should_FindAnotherNamespace_When_GlobLacksTheSlash()
    {
        // Given: a trust policy meant for mygroup that forgot the '/' after the namespace.
        var alphabet = Alphabet.For(["project_path:mygroup*", "project_path:mygroup/*"]);
        var sub = GitLabGrammar.Sub(alphabet);
        var allowed = Dfa.Glob(alphabet, "project_path:mygroup*").Intersect(sub);
        var intended = Dfa.Glob(alphabet, "project_path:mygroup/*");

        // When
        var witness = allowed.Minus(intended).ShortestMember();

        // Then
        Assert.NotNull(witness);
        Assert.Equal("project_path:mygroupa/a:ref_type:tag:ref:a", witness);
        Assert.True(sub.Accepts(witness));
        Assert.False(witness.StartsWith("project_path:mygroup/", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_FindNoWitness_When_GlobIsScopedToTheNamespace()
    {
        var alphabet = Alphabet.For(["project_path:mygroup/*"]);
        var sub = GitLabGrammar.Sub(alphabet);
        var allowed = Dfa.Glob(alphabet, "project_path:mygroup/*").Intersect(sub);

        Assert.Null(allowed.Minus(Dfa.Glob(alphabet, "project_path:mygroup/*")).ShortestMember());
        Assert.Equal(
            "project_path:mygroup/a:ref_type:tag:ref:a",
            allowed.ShortestMember());
    }

    [Fact]
    public void Should_CompleteAGivenPrefix_When_WitnessMustStartWithIt()
    {
        var alphabet = Alphabet.For(["project_path:*:ref_type:branch:ref:main"]);
        var allowed = Dfa.Glob(alphabet, "project_path:*:ref_type:branch:ref:main").Intersect(GitLabGrammar.Sub(alphabet));

        Assert.Equal(
            "project_path:attacker/a:ref_type:branch:ref:main",
            allowed.ShortestMemberWithPrefix("project_path:attacker/"));
        Assert.Null(allowed.ShortestMemberWithPrefix("project_path:attacker:"));
    }

    [Fact]
    public void Should_IntersectCorrectly_When_ManyGlobsMeetTheSubGrammar()
    {
        // Given: 1,000 patterns of four realistic shapes over one analysis alphabet.
        var patterns = Enumerable.Range(0, 1000).Select(Pattern).ToArray();
        var alphabet = Alphabet.For(patterns);
        var sub = GitLabGrammar.Sub(alphabet);

        // When
        var results = patterns.Select(pattern => Dfa.Glob(alphabet, pattern).Intersect(sub)).ToArray();

        // Then
        for (var i = 0; i < patterns.Length; i++)
        {
            var result = results[i];
            switch (i % 4)
            {
                case 0:
                    Assert.True(result.IsEquivalentTo(Dfa.Literal(alphabet, patterns[i])));
                    break;
                case 1:
                case 2:
                    Assert.False(result.IsFinite);
                    Assert.All(result.Enumerate(3), member =>
                    {
                        Assert.True(sub.Accepts(member));
                        Assert.True(AutomataGen.GlobMatches(patterns[i], member));
                    });
                    Assert.True(result.IsSubsetOf(sub));
                    break;
                default:
                    Assert.True(result.IsEmpty);
                    break;
            }
        }
    }

    private static string Pattern(int i) => (i % 4) switch
    {
        0 => $"project_path:group{i % 37}/project{i}:ref_type:branch:ref:main",
        1 => $"project_path:group{i % 37}/*",
        2 => $"project_path:group{i % 37}/sub{i % 5}/*:ref_type:tag:ref:v*",
        _ => $"project_path:group{i}:ref_type:branch:ref:main",
    };
}
