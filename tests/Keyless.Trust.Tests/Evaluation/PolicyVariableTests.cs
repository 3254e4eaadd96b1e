using Keyless.Trust.Evaluation;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Evaluation;

/// <summary>Policy variables <c>${…}</c>, their defaults and escapes (reference §2, reference_policies_variables.html).</summary>
public sealed class PolicyVariableTests
{
    private const string SameIds = """{"StringEquals": {"gitlab.com:namespace_id": "${gitlab.com:project_id}"}}""";

    [Theory]
    [InlineData("42", DecisionCode.Allow)]
    [InlineData("43", DecisionCode.AccessDenied)]
    public void Should_SubstituteTheVariable_When_VersionIs2012(string projectId, DecisionCode expected)
    {
        // Given namespace_id "42" compared with the token's own project_id
        var scenario = Scenario.GitLabCom(SameIds)
            .WithToken(t => t.With("namespace_id", "42").With("project_id", projectId));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Theory]
    [InlineData("${gitlab.com:project_id}", DecisionCode.Allow)]
    [InlineData("42", DecisionCode.AccessDenied)]
    public void Should_TreatTheVariableAsText_When_VersionIs2008(string namespaceId, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom(SameIds)
            .WithPolicy(p => p.Version("2008-10-17"))
            .WithToken(t => t.With("namespace_id", namespaceId).With("project_id", "42"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_TreatTheVariableAsText_When_VersionIsMissing()
    {
        // Given no Version element: IAM uses 2008-10-17
        var scenario = Scenario.GitLabCom(SameIds)
            .WithPolicy(p => p.Version(null))
            .WithToken(t => t.With("namespace_id", "42").With("project_id", "42"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
    }

    [Fact]
    public void Should_NotMatch_When_StringEqualsVariableHasNoValue()
    {
        // Given project_path is never in the context, even if the token carries "acme/app"
        var scenario = Scenario.GitLabCom("""{"StringEquals": {"gitlab.com:user_login": "${gitlab.com:project_path}"}}""")
            .WithToken(t => t.With("user_login", "acme/app"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.Contains("policy variable", decision.ConditionOn("gitlab.com:user_login").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Match_When_StringNotEqualsVariableHasNoValue()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringNotEquals": {"gitlab.com:user_login": "${gitlab.com:project_path}"}}""")
            .WithToken(t => t.With("user_login", "acme/app"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Theory]
    [InlineData("none", DecisionCode.Allow)]
    [InlineData("alice", DecisionCode.AccessDenied)]
    public void Should_UseTheDefault_When_VariableHasNoValue(string userLogin, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringEquals": {"gitlab.com:user_login": "${gitlab.com:project_path, 'none'}"}}""")
            .WithToken(t => t.With("user_login", userLogin));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_IgnoreTheDefault_When_VariableHasAValue()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringEquals": {"gitlab.com:namespace_id": "${gitlab.com:project_id, '7'}"}}""");

        // When
        var decision = scenario.Simulate();

        // Then namespace_id "7" is compared with project_id "42", not with the default
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
    }

    [Fact]
    public void Should_SubstituteInsideAPattern_When_StringLikeHasAVariable()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringLike": {"gitlab.com:user_email": "${gitlab.com:user_login}@*"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Theory]
    [InlineData("a${*}b", "a*b", DecisionCode.Allow)]
    [InlineData("a${*}b", "axb", DecisionCode.AccessDenied)]
    [InlineData("a${?}b", "a?b", DecisionCode.Allow)]
    [InlineData("a${?}b", "axb", DecisionCode.AccessDenied)]
    [InlineData("a${$}b", "a$b", DecisionCode.Allow)]
    [InlineData("${*}*", "*anything", DecisionCode.Allow)]
    [InlineData("${*}*", "anything", DecisionCode.AccessDenied)]
    public void Should_TreatEscapesAsLiterals_When_StringLikeUsesThem(string pattern, string userLogin, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom($$$"""{"StringLike": {"gitlab.com:user_login": "{{{pattern}}}"}}""")
            .WithToken(t => t.With("user_login", userLogin));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }
}
