using CsCheck;
using Keyless.Core.Configuration;
using Keyless.Trust.Analysis;

namespace Keyless.Trust.Tests.Analysis;

/// <summary>
/// <see cref="ExpectationOverlap.Find"/> answers refs of other projects or types without automata; the answer
/// must be the automata's, and every ref it reports must be admitted by both expectations.
/// </summary>
public sealed class ExpectationOverlapTests
{
    private static readonly string[] Projects = ["acme/site", "acme/site2", "acme/sub/site"];
    private static readonly string[] RefPatterns = ["main", "main*", "v*", "v1.*", "*", "release/*", "?ain"];

    private static readonly Gen<RoleExpectation> Expectation =
        Gen.Select(Gen.OneOf(Projects), Gen.Select(Gen.OneOf("branch", "tag"), Gen.OneOf(RefPatterns), (type, pattern) => new ExpectedRef(type, pattern)).Array[1, 3], Gen.Bool)
            .Select((project, refs, protectedOnly) => new RoleExpectation(project, refs, "42", "7", "sts.amazonaws.com", protectedOnly));

    [Fact]
    public void Should_AgreeWithTheAutomata_When_ExpectationsAreDrawnAtRandom()
    {
        Gen.Select(Expectation, Expectation).Sample((first, second) =>
            (ExpectationOverlap.Find(first, second) is null) == (ExpectationOverlap.FindByAutomata(first, second) is null));
    }

    [Theory]
    [InlineData("branch:main", "tag:main")]
    [InlineData("branch:*", "tag:*")]
    public void Should_FindNoOverlap_When_RefTypesDiffer(string staging, string production)
    {
        Assert.Null(ExpectationOverlap.Find(Role("acme/site", staging), Role("acme/site", production)));
    }

    [Fact]
    public void Should_FindNoOverlap_When_ProjectsDiffer()
    {
        Assert.Null(ExpectationOverlap.Find(Role("acme/site", "branch:*"), Role("acme/site2", "branch:*")));
    }

    [Fact]
    public void Should_NameASharedRef_When_PatternsOfOneTypeOverlap()
    {
        var shared = ExpectationOverlap.Find(Role("acme/site", "branch:release/*"), Role("acme/site", "tag:v*", "branch:*/1"));

        Assert.NotNull(shared);
        Assert.StartsWith("project_path:acme/site:ref_type:branch:ref:release/", shared, StringComparison.Ordinal);
        Assert.EndsWith("/1", shared, StringComparison.Ordinal);
    }

    private static RoleExpectation Role(string project, params string[] refs) =>
        new(project, [.. refs.Select(r => new ExpectedRef(r.Split(':')[0], r.Split(':')[1]))], "42", "7", "sts.amazonaws.com");
}
