using Keyless.Trust.Evaluation;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Evaluation;

/// <summary>Statements, actions, Deny precedence and how conditions combine (reference §2).</summary>
public sealed class PolicyLogicTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Should_Allow_When_StatementIsAnObjectOrAList(bool asObject)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithPolicy(p =>
        {
            if (asObject)
            {
                p.StatementAsObject();
            }
        });

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        var statement = Assert.Single(decision.Evaluations[0].Statements);
        Assert.Equal(asObject ? "$.Statement" : "$.Statement[0]", statement.Statement.Path);
    }

    [Theory]
    [InlineData("\"sts:AssumeRoleWithWebIdentity\"")]
    [InlineData("\"STS:assumerolewithwebidentity\"")]
    [InlineData("\"STS:assumerole*\"")]
    [InlineData("\"sts:*\"")]
    [InlineData("\"*\"")]
    [InlineData("\"sts:AssumeRoleWith?ebIdentity\"")]
    [InlineData("""["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"]""")]
    public void Should_Allow_When_ActionMatchesIgnoringCaseAndWithWildcards(string action)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.Action(action));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.True(decision.Statement().ActionMatched);
    }

    [Theory]
    [InlineData("\"sts:AssumeRole\"")]
    [InlineData("\"sts:AssumeRoleWithSAML\"")]
    [InlineData("\"iam:*\"")]
    [InlineData("\"sts:AssumeRoleWithWebIdentity?\"")]
    public void Should_DenyAccess_When_ActionDoesNotMatch(string action)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.Action(action));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.False(decision.Statement().ActionMatched);
    }

    [Theory]
    [InlineData("\"sts:TagSession\"", DecisionCode.Allow)]
    [InlineData("\"sts:AssumeRoleWithWebIdentity\"", DecisionCode.AccessDenied)]
    [InlineData("\"STS:AssumeRoleWith*\"", DecisionCode.AccessDenied)]
    public void Should_MatchEveryOtherAction_When_StatementUsesNotAction(string notAction, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.NotAction(notAction));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_DenyAccess_When_AnApplicableDenyStatementExists()
    {
        // Given an Allow that applies and a Deny for push pipelines
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.DenyWhen("""{"StringEquals": {"gitlab.com:pipeline_source": "push"}}"""));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.True(decision.Evaluations[0].ExplicitDeny);
        Assert.True(decision.Statement(0).Applies);
        Assert.True(decision.Statement(1).Applies);
    }

    [Fact]
    public void Should_Allow_When_TheDenyStatementDoesNotApply()
    {
        // Given a Deny for merge-request pipelines and a push pipeline
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.DenyWhen("""{"StringEquals": {"gitlab.com:pipeline_source": "merge_request_event"}}"""));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.False(decision.Evaluations[0].ExplicitDeny);
    }

    [Fact]
    public void Should_DenyAccess_When_DenyStatementPrecedesTheAllow()
    {
        // Given the Deny written first
        var scenario = Scenario.GitLabCom().WithPolicy(p => p
            .Effect("Deny")
            .Condition("""{"StringEquals": {"gitlab.com:ref_protected": "true"}}""")
            .Statement("""
                {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"},
                 "Action": "sts:AssumeRoleWithWebIdentity"}
                """));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.True(decision.Evaluations[0].ExplicitDeny);
    }

    [Fact]
    public void Should_DenyAccess_When_OnlyADenyStatementExistsAndItDoesNotApply()
    {
        // Given no Allow at all: the default is an implicit deny
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.Effect("Deny").Condition("""{"StringEquals": {"gitlab.com:pipeline_source": "schedule"}}"""));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.False(decision.Evaluations[0].ExplicitDeny);
    }

    [Theory]
    [InlineData("""["project_path:acme/other:ref_type:branch:ref:main", "project_path:acme/app:ref_type:branch:ref:main"]""", DecisionCode.Allow)]
    [InlineData("""["project_path:acme/other:ref_type:branch:ref:main", "project_path:acme/app:ref_type:tag:ref:main"]""", DecisionCode.AccessDenied)]
    public void Should_OrTheValues_When_OneKeyHasSeveralValues(string values, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom($$$"""{"StringEquals": {"gitlab.com:sub": {{{values}}}}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Theory]
    [InlineData("42", DecisionCode.Allow)]
    [InlineData("43", DecisionCode.AccessDenied)]
    public void Should_AndTheKeys_When_OneOperatorHasSeveralKeys(string projectId, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom($$$"""
            {"StringEquals": {"gitlab.com:sub": "project_path:acme/app:ref_type:branch:ref:main", "gitlab.com:project_id": "{{{projectId}}}"}}
            """);

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Theory]
    [InlineData("push", DecisionCode.Allow)]
    [InlineData("merge_request_event", DecisionCode.AccessDenied)]
    public void Should_AndTheOperators_When_ConditionHasSeveralOperators(string pipelineSource, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom($$$"""
            {
              "StringLike": {"gitlab.com:sub": "project_path:acme/*"},
              "StringEquals": {"gitlab.com:pipeline_source": "{{{pipelineSource}}}"}
            }
            """);

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
        Assert.True(decision.ConditionOn("gitlab.com:sub").Satisfied);
    }

    [Theory]
    [InlineData("schedule", DecisionCode.Allow)]
    [InlineData("push", DecisionCode.AccessDenied)] // second value
    [InlineData("merge_request_event", DecisionCode.AccessDenied)] // first value
    public void Should_RequireNoValueToMatch_When_NegatedOperatorHasSeveralValues(string pipelineSource, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringNotEquals": {"gitlab.com:pipeline_source": ["merge_request_event", "push"]}}""")
            .WithToken(t => t.With("pipeline_source", pipelineSource));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_DenyAccess_When_StringNotLikeExcludesTheSub()
    {
        // Given
        var scenario = Scenario.GitLabCom("""{"StringNotLike": {"gitlab.com:sub": ["*:ref_type:tag:*", "project_path:acme/*"]}}""");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.Contains("excluded", decision.ConditionOn("gitlab.com:sub").Reason, StringComparison.Ordinal);
    }
}
