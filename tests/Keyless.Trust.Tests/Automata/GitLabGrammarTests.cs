using Keyless.Trust.Automata;

namespace Keyless.Trust.Tests.Automata;

public sealed class GitLabGrammarTests
{
    private static readonly Alphabet Alphabet = Alphabet.For([]);

    [Theory]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:main")]
    [InlineData("project_path:mygroup/sub/deeper/myproject:ref_type:branch:ref:main")]
    [InlineData("project_path:mygroup/myproject:ref_type:tag:ref:v1.2.3")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:feature/x")]
    [InlineData("project_path:My_Group/my-project.js:ref_type:branch:ref:renovate/@scope-pkg-1.x")]
    [InlineData("project_path:g/p:ref_type:branch:ref:r\u00e9sum\u00e9")]
    [InlineData("project_path:g/.dotfiles:ref_type:branch:ref:main")]
    [InlineData("project_path:g/p:ref_type:branch:ref:a.lock")]
    public void Should_AcceptSub_When_ItIsWhatGitLabEmits(string sub)
    {
        Assert.True(GitLabGrammar.Sub(Alphabet).Accepts(sub));
    }

    [Theory]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:a..b")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:feature/")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:/feature")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:a//b")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:a/.b")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:.a")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:a.")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:a@{b")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:@")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:a b")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:a:b")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:a\tb")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch:ref:")]
    [InlineData("project_path:my:group/myproject:ref_type:branch:ref:main")]
    [InlineData("project_path:mygroup/:ref_type:branch:ref:main")]
    [InlineData("project_path::ref_type:branch:ref:main")]
    [InlineData("project_path:mygroup//p:ref_type:branch:ref:main")]
    [InlineData("project_path:mygroup/-p:ref_type:branch:ref:main")]
    [InlineData("project_path:mygroup/myproject:ref_type:mr:ref:main")]
    [InlineData("project_path:myproject:ref_type:branch:ref:main")]
    [InlineData("project_path:mygroup/myproject:ref_type:branch")]
    [InlineData("Project_path:mygroup/myproject:ref_type:branch:ref:main")]
    public void Should_RejectSub_When_GitLabCannotEmitIt(string sub)
    {
        Assert.False(GitLabGrammar.Sub(Alphabet).Accepts(sub));
    }

    [Theory]
    [InlineData("main", true)]
    [InlineData("@", false)]
    [InlineData("@a", true)]
    [InlineData("a@b", true)]
    [InlineData("a{b}", true)]
    [InlineData("a~b", false)]
    [InlineData("a^b", false)]
    [InlineData("a?b", false)]
    [InlineData("a*b", false)]
    [InlineData("a[b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a\u007fb", false)]
    [InlineData("a.b", true)]
    [InlineData("x/y/z", true)]
    public void Should_FollowCheckRefFormat_When_RefIsTested(string name, bool expected)
    {
        Assert.Equal(expected, GitLabGrammar.Ref(Alphabet).Accepts(name));
    }

    [Theory]
    [InlineData("g/p", true)]
    [InlineData("g/s/t/p", true)]
    [InlineData("_g/p.js", true)]
    [InlineData("g", false)]
    [InlineData("g/", false)]
    [InlineData("/p", false)]
    [InlineData("g/p q", false)]
    [InlineData("g/p\u00e9", false)]
    public void Should_RequireNamespaceAndProject_When_ProjectPathIsTested(string path, bool expected)
    {
        Assert.Equal(expected, GitLabGrammar.ProjectPath(Alphabet).Accepts(path));
    }

    [Fact]
    public void Should_AcceptOnlyTheirValues_When_SmallClaimsAreTested()
    {
        Assert.True(GitLabGrammar.RefType(Alphabet).Accepts("branch"));
        Assert.True(GitLabGrammar.RefType(Alphabet).Accepts("tag"));
        Assert.False(GitLabGrammar.RefType(Alphabet).Accepts("Branch"));
        Assert.True(GitLabGrammar.NumericId(Alphabet).Accepts("0123456789"));
        Assert.False(GitLabGrammar.NumericId(Alphabet).Accepts(string.Empty));
        Assert.False(GitLabGrammar.NumericId(Alphabet).Accepts("12a"));
        Assert.True(GitLabGrammar.BooleanString(Alphabet).Accepts("true"));
        Assert.True(GitLabGrammar.BooleanString(Alphabet).Accepts("false"));
        Assert.False(GitLabGrammar.BooleanString(Alphabet).Accepts("True"));
        Assert.True(GitLabGrammar.NonEmpty(Alphabet).Accepts("sts.amazonaws.com"));
        Assert.False(GitLabGrammar.NonEmpty(Alphabet).Accepts(string.Empty));
        Assert.True(GitLabGrammar.PathSegment(Alphabet).Accepts("my-project.js"));
        Assert.False(GitLabGrammar.PathSegment(Alphabet).Accepts("a/b"));
    }

    [Fact]
    public void Should_DecideTheSameWay_When_GrammarIsBuiltOverAnAnalysisAlphabet()
    {
        // Given
        var analysis = Alphabet.For(["project_path:Ünïcode/*", "refs/heads/main~1"]);
        string[] subs =
        [
            "project_path:mygroup/myproject:ref_type:branch:ref:main",
            "project_path:Ünïcode/x:ref_type:branch:ref:main",
            "project_path:a/b:ref_type:tag:ref:main~1",
            "project_path:a/b:ref_type:tag:ref:\u00dcn\u00efcode",
        ];

        // When
        var sub = GitLabGrammar.Sub(analysis);

        // Then
        Assert.Same(analysis, sub.Alphabet);
        Assert.All(subs, s => Assert.Equal(GitLabGrammar.Sub(Alphabet).Accepts(s), sub.Accepts(s)));
        Assert.Equal(GitLabGrammar.Sub(Alphabet).StateCount, sub.StateCount);
    }

    [Fact]
    public void Should_GiveAReadableWitness_When_SubIsAskedForItsShortestMember()
    {
        Assert.Equal("project_path:a/a:ref_type:tag:ref:a", GitLabGrammar.Sub(Alphabet).ShortestMember());
    }
}
