using Keyless.Trust.Evaluation;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Evaluation;

/// <summary>Which claims become condition keys, and under which names (reference §1 "Claims usable as condition keys").</summary>
public sealed class RequestContextTests
{
    [Theory]
    [InlineData("gitlab.com:sub", TrustPolicy.DefaultSub)]
    [InlineData("gitlab.com:aud", Tokens.Audience)]
    [InlineData("gitlab.com:namespace_id", "7")]
    [InlineData("gitlab.com:project_id", "42")]
    [InlineData("gitlab.com:user_id", "1001")]
    [InlineData("gitlab.com:user_login", "alice")]
    [InlineData("gitlab.com:user_email", "alice@example.com")]
    [InlineData("gitlab.com:user_access_level", "maintainer")]
    [InlineData("gitlab.com:ref_protected", "true")]
    [InlineData("gitlab.com:pipeline_source", "push")]
    public void Should_ExposeTheClaim_When_IssuerIsGitLabCom(string key, string expected)
    {
        // Given
        var scenario = Scenario.GitLabCom();

        // When
        var value = scenario.Context().Get(key);

        // Then
        Assert.NotNull(value);
        Assert.Equal([expected], value.Values);
        Assert.False(value.MultiValued);
    }

    [Theory]
    [InlineData("gitlab.com:project_path")]
    [InlineData("gitlab.com:namespace_path")]
    [InlineData("gitlab.com:ref")]
    [InlineData("gitlab.com:ref_type")]
    [InlineData("gitlab.com:iss")]
    [InlineData("gitlab.com:jti")]
    public void Should_LeaveTheKeyAbsent_When_ClaimIsNotInTheKeyTable(string key)
    {
        // Given a token that carries the claim
        var scenario = Scenario.GitLabCom();

        // When
        var value = scenario.Context().Get(key);

        // Then
        Assert.Null(value);
    }

    [Fact]
    public void Should_DenyAccess_When_PolicyRequiresProjectPathOnGitLabCom()
    {
        // Given a condition on a claim AWS does not put into the context
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.Condition("""{"StringEquals": {"gitlab.com:project_path": "acme/app"}}"""));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        var condition = decision.ConditionOn("gitlab.com:project_path");
        Assert.False(condition.Satisfied);
        Assert.Contains("absent", condition.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42", DecisionCode.Allow)]
    [InlineData("43", DecisionCode.AccessDenied)]
    public void Should_DecideOnProjectId_When_IssuerIsGitLabCom(string policyValue, DecisionCode expected)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.Condition($$$"""
            {"StringEquals": {"gitlab.com:sub": "project_path:acme/app:ref_type:branch:ref:main", "gitlab.com:project_id": "{{{policyValue}}}"}}
            """));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(expected, decision.Code);
    }

    [Fact]
    public void Should_NotExposeProjectId_When_IssuerIsSelfManaged()
    {
        // Given a self-managed GitLab token that carries project_id
        var scenario = Scenario.ForIssuer("https://gitlab.example.com");

        // When
        var context = scenario.Context();

        // Then only the generic keys exist
        Assert.Null(context.Get("gitlab.example.com:project_id"));
        Assert.NotNull(context.Get("gitlab.example.com:sub"));
    }

    [Fact]
    public void Should_DenyAccess_When_SelfManagedPolicyUsesStringEqualsOnProjectId()
    {
        // Given
        var scenario = Scenario.ForIssuer("https://gitlab.example.com").WithPolicy(p => p.Condition("""
            {"StringEquals": {"gitlab.example.com:sub": "project_path:acme/app:ref_type:branch:ref:main", "gitlab.example.com:project_id": "42"}}
            """));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.True(decision.ConditionOn("gitlab.example.com:sub").Satisfied);
        var projectId = decision.ConditionOn("gitlab.example.com:project_id");
        Assert.False(projectId.Satisfied);
        Assert.Null(projectId.RequestValues);
    }

    [Fact]
    public void Should_HoldVacuously_When_SelfManagedPolicyUsesStringNotEqualsOnProjectId()
    {
        // Given the token's project_id equals the excluded value, but the key is absent for this issuer
        var scenario = Scenario.ForIssuer("https://gitlab.example.com").WithPolicy(p => p.Condition("""
            {
              "StringEquals": {"gitlab.example.com:sub": "project_path:acme/app:ref_type:branch:ref:main"},
              "StringNotEquals": {"gitlab.example.com:project_id": "42"}
            }
            """));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        var projectId = decision.ConditionOn("gitlab.example.com:project_id");
        Assert.True(projectId.Satisfied);
        Assert.Contains("absent", projectId.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GitLab.com:SUB")]
    [InlineData("GITLAB.COM:sub")]
    public void Should_MatchTheKey_When_KeyNameDiffersInCase(string key)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.Condition($$$"""
            {"StringEquals": {"{{{key}}}": "project_path:acme/app:ref_type:branch:ref:main"}}
            """));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.Equal([TrustPolicy.DefaultSub], decision.ConditionOn(key).RequestValues);
    }

    [Fact]
    public void Should_IncludeThePathInTheKeyPrefix_When_IssuerHasAPath()
    {
        // Given a GitLab served under a relative URL root
        var scenario = Scenario.ForIssuer("https://example.com/gitlab");

        // When
        var decision = scenario.Simulate();
        var context = scenario.Context();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.True(decision.ConditionOn("example.com/gitlab:sub").Satisfied);
        Assert.NotNull(context.Get("example.com/gitlab:sub"));
        Assert.Null(context.Get("example.com:sub"));
    }

    [Fact]
    public void Should_DenyAccess_When_PathIssuerPolicyUsesTheHostOnlyKey()
    {
        // Given
        var scenario = Scenario.ForIssuer("https://example.com/gitlab").WithPolicy(p => p.Condition("""
            {"StringEquals": {"example.com:sub": "project_path:acme/app:ref_type:branch:ref:main"}}
            """));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.False(decision.ConditionOn("example.com:sub").Satisfied);
    }

    [Fact]
    public void Should_ExposeAmrAsMultivalued_When_TokenHasAnAmrList()
    {
        // Given
        var scenario = Scenario.GitLabCom().WithToken(t => t.WithList("amr", "pwd", "mfa"));

        // When
        var value = scenario.Context().Get("gitlab.com:amr");

        // Then
        Assert.NotNull(value);
        Assert.True(value.MultiValued);
        Assert.Equal(["pwd", "mfa"], value.Values);
    }

    [Fact]
    public void Should_SetCurrentTimeFromTheClock_When_BuildingTheContext()
    {
        // Given
        var scenario = Scenario.GitLabCom();

        // When
        var context = scenario.Context();

        // Then
        Assert.Equal(["2026-05-01T12:00:00Z"], context.Get("aws:CurrentTime")?.Values);
        Assert.Equal([Tokens.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)], context.Get("aws:EpochTime")?.Values);
    }
}
