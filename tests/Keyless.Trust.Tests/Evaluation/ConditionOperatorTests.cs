using Keyless.Trust.Evaluation;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Evaluation;

/// <summary>Condition operators against the gitlab.com request context (reference §2).</summary>
public sealed class ConditionOperatorTests
{
    private const string Sub = TrustPolicy.DefaultSub;

    [Fact]
    public void Should_TreatStarLiterally_When_OperatorIsStringEquals()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringEquals": {"gitlab.com:sub": "project_path:acme/*:ref_type:branch:ref:main"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.Contains("matches none of", decision.ConditionOn("gitlab.com:sub").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Allow_When_StringEqualsStarMatchesALiteralStarInTheClaim()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringEquals": {"gitlab.com:user_login": "al*"}}""")
            .WithToken(t => t.With("user_login", "al*"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Theory]
    [InlineData("project_path:acme/app:ref_type:branch:ref:main*")] // * matches the empty string
    [InlineData("project_path:acme/*")] // * spans '/' and ':'
    [InlineData("project_path:*:ref:main")]
    [InlineData("*")]
    [InlineData("project_path:acme/app:ref_type:branch:ref:ma?n")] // ? is one character
    [InlineData("project_path:acme/???:ref_type:branch:ref:main")]
    public void Should_Allow_When_StringLikePatternMatchesTheWholeSub(string pattern)
    {
        // Given
        var scenario = Scenario.GitLabCom($$$"""{"StringLike": {"gitlab.com:sub": "{{{pattern}}}"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.True(decision.ConditionOn("gitlab.com:sub").Satisfied);
    }

    [Theory]
    [InlineData("project_path:acme/app:ref_type:branch:ref:mai")] // whole-string match
    [InlineData("project_path:acme/app")] // no implicit trailing *
    [InlineData("project_path:acme/app:ref_type:branch:ref:main?")] // ? is exactly one character, not zero
    [InlineData("project_path:acme/app:ref_type:branch:ref:m?")] // ... and not several
    [InlineData("project_path:ACME/*")] // values are case-sensitive
    [InlineData("*:ref:release")]
    public void Should_DenyAccess_When_StringLikePatternDoesNotMatchTheWholeSub(string pattern)
    {
        // Given
        var scenario = Scenario.GitLabCom($$$"""{"StringLike": {"gitlab.com:sub": "{{{pattern}}}"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.False(decision.ConditionOn("gitlab.com:sub").Satisfied);
    }

    [Fact]
    public void Should_DenyAccess_When_StringEqualsValueDiffersOnlyInCase()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringEquals": {"gitlab.com:sub": "project_path:Acme/App:ref_type:branch:ref:main"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
    }

    [Fact]
    public void Should_Allow_When_StringEqualsIgnoreCaseValueDiffersOnlyInCase()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringEqualsIgnoreCase": {"gitlab.com:sub": "PROJECT_PATH:Acme/App:REF_TYPE:branch:ref:MAIN"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Fact]
    public void Should_DenyAccess_When_StringNotEqualsIgnoreCaseValueDiffersOnlyInCase()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringNotEqualsIgnoreCase": {"gitlab.com:pipeline_source": "PUSH"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
    }

    [Fact]
    public void Should_Allow_When_IfExistsKeyIsAbsent()
    {
        // Given project_path is never in the context
        var scenario = Scenario.GitLabCom("""{"StringEqualsIfExists": {"gitlab.com:project_path": "other/project"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.Contains("IfExists", decision.ConditionOn("gitlab.com:project_path").Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42", DecisionCode.Allow)]
    [InlineData("43", DecisionCode.AccessDenied)]
    public void Should_BehaveAsTheBaseOperator_When_IfExistsKeyIsPresent(string projectId, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom($$$"""{"StringEqualsIfExists": {"gitlab.com:project_id": "{{{projectId}}}"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Theory]
    [InlineData("gitlab.com:project_path", "true", DecisionCode.Allow)] // absent, asked absent
    [InlineData("gitlab.com:project_id", "true", DecisionCode.AccessDenied)] // present, asked absent
    [InlineData("gitlab.com:project_id", "false", DecisionCode.Allow)] // present, asked present
    [InlineData("gitlab.com:project_path", "false", DecisionCode.AccessDenied)] // absent, asked present
    public void Should_TestPresence_When_OperatorIsNull(string key, string value, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom($$$"""{"Null": {"{{{key}}}": "{{{value}}}"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Theory]
    [InlineData("true", DecisionCode.Allow)]
    [InlineData("false", DecisionCode.AccessDenied)]
    public void Should_CompareTheStringClaimAsBoolean_When_BoolIsUsedOnRefProtected(string refProtected, DecisionCode expected)
    {
        // Given ref_protected is the JSON string "true"/"false"
        var scenario = Scenario.GitLabCom("""{"Bool": {"gitlab.com:ref_protected": "true"}}""")
            .WithToken(t => t.With("ref_protected", refProtected));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Theory]
    [InlineData("""{"NumericEquals": {"gitlab.com:project_id": "42"}}""", DecisionCode.Allow)]
    [InlineData("""{"NumericEquals": {"gitlab.com:project_id": 42}}""", DecisionCode.Allow)]
    [InlineData("""{"NumericEquals": {"gitlab.com:project_id": "042"}}""", DecisionCode.Allow)]
    [InlineData("""{"NumericEquals": {"gitlab.com:project_id": "43"}}""", DecisionCode.AccessDenied)]
    [InlineData("""{"NumericLessThan": {"gitlab.com:project_id": "100"}}""", DecisionCode.Allow)] // numerically, not as text
    [InlineData("""{"NumericLessThan": {"gitlab.com:project_id": "42"}}""", DecisionCode.AccessDenied)]
    [InlineData("""{"NumericGreaterThanEquals": {"gitlab.com:project_id": "42"}}""", DecisionCode.Allow)]
    public void Should_CompareAsNumbers_When_NumericOperatorIsUsedOnProjectId(string condition, DecisionCode expected)
    {
        // Given project_id "42"
        var scenario = Scenario.GitLabCom(condition);

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_DenyAccess_When_NumericOperatorMeetsANonNumericValue()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"NumericEquals": {"gitlab.com:user_login": "42"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
    }

    [Theory]
    [InlineData("2026-05-01T11:00:00Z", DecisionCode.Allow)]
    [InlineData("2026-07-01T00:00:00Z", DecisionCode.AccessDenied)]
    public void Should_UseTheSimulationClock_When_DateLessThanComparesCurrentTime(string now, DecisionCode expected)
    {
        // Given a role that expires on 2026-06-01
        var scenario = Scenario.GitLabCom("""{"DateLessThan": {"aws:CurrentTime": "2026-06-01T00:00:00Z"}}""")
            .At(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_DenyAccess_When_ForAnyValueKeyIsAbsent()
    {
        // Given a token without amr
        var scenario = Scenario.GitLabCom("""{"ForAnyValue:StringEquals": {"gitlab.com:amr": ["mfa"]}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.Contains("ForAnyValue", decision.ConditionOn("gitlab.com:amr").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_HoldVacuously_When_ForAllValuesKeyIsAbsent()
    {
        // Given a token without amr
        var scenario = Scenario.GitLabCom("""{"ForAllValues:StringEquals": {"gitlab.com:amr": ["mfa"]}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.Contains("vacuous", decision.ConditionOn("gitlab.com:amr").Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["pwd", "mfa", "otp"]""", DecisionCode.Allow)] // every amr value is listed
    [InlineData("""["pwd"]""", DecisionCode.AccessDenied)] // mfa is not listed
    public void Should_RequireEveryValueToMatch_When_ForAllValuesIsUsedOnAmr(string listed, DecisionCode expected)
    {
        // Given amr ["pwd", "mfa"]
        var scenario = Scenario.GitLabCom($$$"""{"ForAllValues:StringEquals": {"gitlab.com:amr": {{{listed}}}}}""")
            .WithToken(t => t.WithList("amr", "pwd", "mfa"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Theory]
    [InlineData("""["mfa"]""", DecisionCode.Allow)]
    [InlineData("""["otp", "hwk"]""", DecisionCode.AccessDenied)]
    public void Should_RequireOneValueToMatch_When_ForAnyValueIsUsedOnAmr(string listed, DecisionCode expected)
    {
        // Given amr ["pwd", "mfa"]
        var scenario = Scenario.GitLabCom($$$"""{"ForAnyValue:StringEquals": {"gitlab.com:amr": {{{listed}}}}}""")
            .WithToken(t => t.WithList("amr", "pwd", "mfa"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_Allow_When_StringNotLikeKeyIsAbsent()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringNotLike": {"gitlab.com:project_path": "acme/*"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.Contains("negated", decision.ConditionOn("gitlab.com:project_path").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Allow_When_DefaultSubPolicyIsUsed()
    {
        // Given the default condition, as a baseline for the failures above
        var scenario = Scenario.GitLabCom($$$"""{"StringEquals": {"gitlab.com:sub": "{{{Sub}}}"}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }
}
