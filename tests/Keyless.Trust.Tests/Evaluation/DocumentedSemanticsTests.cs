using Keyless.Trust.Evaluation;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Evaluation;

/// <summary>
/// The semantic decisions listed in docs/aws-semantics.md, each with the AWS text or observation it follows.
/// </summary>
public sealed class DocumentedSemanticsTests
{
    [Theory]
    [InlineData("NumericEquals")]
    [InlineData("NumericLessThanEquals")]
    [InlineData("NumericGreaterThanEquals")]
    public void Should_NotSubstituteThePolicyVariable_When_TheOperatorIsNumeric(string numeric)
    {
        // Given namespace_id "42" compared with the token's own project_id "42" by a Numeric operator, which takes no
        // policy variables: "${gitlab.com:project_id}" stays text, which is no number.
        var scenario = Scenario.GitLabCom($$$"""{"{{{numeric}}}": {"gitlab.com:namespace_id": "${gitlab.com:project_id}"}}""")
            .WithToken(t => t.With("namespace_id", "42").With("project_id", "42"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
    }

    [Fact]
    public void Should_NotSubstituteThePolicyVariable_When_TheOperatorIsDate()
    {
        // Given a Date operator comparing the current time with itself through a variable
        var scenario = Scenario.GitLabCom("""{"DateLessThanEquals": {"aws:CurrentTime": "${aws:CurrentTime}"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
    }

    [Fact]
    public void Should_SubstituteThePolicyVariable_When_TheOperatorIsBool()
    {
        // Given Bool, which one AWS page says takes variables and another says does not: keyless substitutes
        var scenario = Scenario.GitLabCom("""{"Bool": {"aws:SecureTransport": "${aws:SecureTransport}"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Theory]
    [InlineData("ForAllValues:StringEquals")]
    [InlineData("ForAllValues:StringLike")]
    public void Should_HoldVacuously_When_ForAllValuesKeyIsAnEmptyString(string op)
    {
        // Given user_email "" (a null dataset) and a list that does not contain ""
        var scenario = Scenario.GitLabCom($$$"""{"{{{op}}}": {"gitlab.com:user_email": ["dev@example.com"]}}""")
            .WithToken(t => t.With("user_email", ""));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.Contains("null dataset", decision.ConditionOn("gitlab.com:user_email").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_StillCompare_When_ForAllValuesKeyIsNotEmpty()
    {
        // Given a non-empty user_email outside the list, as the baseline for the empty case
        var scenario = Scenario.GitLabCom("""{"ForAllValues:StringEquals": {"gitlab.com:user_email": ["dev@example.com"]}}""")
            .WithToken(t => t.With("user_email", "evil@example.com"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
    }

    [Theory]
    [InlineData("ForAnyValue:StringEqualsIfExists")]
    [InlineData("ForAnyValue:StringNotEqualsIfExists")]
    [InlineData("ForAnyValue:StringLikeIfExists")]
    public void Should_Deny_When_ForAnyValueIfExistsKeyIsAbsent(string op)
    {
        // Given a token without amr: ForAnyValue needs a value, and IfExists does not supply one
        var scenario = Scenario.GitLabCom($$$"""{"{{{op}}}": {"gitlab.com:amr": ["mfa"]}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.Contains("ForAnyValue", decision.ConditionOn("gitlab.com:amr").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_HoldVacuously_When_ForAllValuesIfExistsKeyIsAbsent()
    {
        // Given a token without amr; both ForAllValues and IfExists hold for an absent key
        var scenario = Scenario.GitLabCom("""{"ForAllValues:StringEqualsIfExists": {"gitlab.com:amr": ["mfa"]}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Theory]
    [InlineData("self-hosted", DecisionCode.Allow)]
    [InlineData("gitlab-hosted", DecisionCode.AccessDenied)]
    public void Should_CompareRunnerEnvironment_When_TheIssuerIsGitLabCom(string runner, DecisionCode expected)
    {
        // Given a role for self-hosted runners only (gitlab.com:runner_environment, STS service authorization reference)
        var scenario = Scenario.GitLabCom("""{"StringEquals": {"gitlab.com:runner_environment": "self-hosted"}}""")
            .WithToken(t => t.With("runner_environment", runner));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_LeaveRunnerEnvironmentOut_When_TheIssuerIsSelfManaged()
    {
        // Given a self-managed GitLab, whose tokens get only the generic keys
        var scenario = Scenario.ForIssuer().WithToken(t => t.With("runner_environment", "self-hosted"));

        // When
        var context = scenario.Context();

        // Then
        Assert.Null(context.Get("gitlab.example.com:runner_environment"));
    }
}
