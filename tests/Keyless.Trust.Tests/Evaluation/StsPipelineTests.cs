using Keyless.Trust.Evaluation;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Evaluation;

/// <summary>The checks STS makes before and around the trust policy (reference §1).</summary>
public sealed class StsPipelineTests
{
    [Fact]
    public void Should_Allow_When_TokenAndPolicyMatchExactly()
    {
        // Given the default gitlab.com scenario
        var scenario = Scenario.GitLabCom();

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.Equal(200, decision.HttpStatus);
        Assert.True(decision.ConditionOn("gitlab.com:sub").Satisfied);
    }

    [Theory]
    [InlineData("https://gitlab.com/")] // trailing slash
    [InlineData("https://GitLab.com")] // case
    [InlineData("http://gitlab.com")] // scheme
    [InlineData("gitlab.com")] // no scheme
    [InlineData("https://gitlab.com/acme")] // path
    public void Should_RejectAsNoProviderFound_When_IssDiffersFromTheProviderUrl(string issuer)
    {
        // Given a provider for https://gitlab.com and a token from an issuer that differs in one detail
        var scenario = Scenario.GitLabCom().WithToken(t => t.Issuer(issuer));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.InvalidIdentityToken, decision.Code);
        Assert.Equal($"No OpenIDConnect provider found in your account for {issuer}", decision.Message);
        Assert.Equal(400, decision.HttpStatus);
        Assert.Empty(decision.Evaluations);
    }

    [Fact]
    public void Should_FindTheProvider_When_IssAndProviderUrlShareATrailingSlash()
    {
        // Given a provider registered with a trailing slash, whose keys then carry the slash
        var scenario = Scenario.ForIssuer("https://gitlab.com/");

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.True(decision.ConditionOn("gitlab.com/:sub").Satisfied);
    }

    [Fact]
    public void Should_RejectAsMissingClaim_When_TokenHasNoAud()
    {
        // Given
        var scenario = Scenario.GitLabCom().WithToken(t => t.Without("aud"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.InvalidIdentityToken, decision.Code);
        Assert.Equal("Missing a required claim: aud", decision.Message);
    }

    [Fact]
    public void Should_RejectAsIncorrectAudience_When_AudIsNotInTheClientIdList()
    {
        // Given a token for GitLab's default audience, not the provider's sts.amazonaws.com
        var scenario = Scenario.GitLabCom().WithToken(t => t.With("aud", "https://gitlab.com"));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.InvalidIdentityToken, decision.Code);
        Assert.Equal("Incorrect token audience", decision.Message);
    }

    [Fact]
    public void Should_Allow_When_AudIsAListWithOneValueInTheClientIdList()
    {
        // Given
        var scenario = Scenario.GitLabCom().WithToken(t => t.WithList("aud", "https://gitlab.com", Tokens.Audience));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Fact]
    public void Should_Allow_When_ExpPassedLessThanFiveMinutesAgo()
    {
        // Given a token that expired 4 min 59 s ago
        var scenario = Scenario.GitLabCom().WithToken(t => t.ExpiresIn(TimeSpan.FromSeconds(-299)));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.Contains(decision.Checks, c => c.Name == "expiry" && c.Passed);
    }

    [Fact]
    public void Should_RejectAsExpired_When_ExpPassedMoreThanFiveMinutesAgo()
    {
        // Given a token that expired 5 min 1 s ago
        var scenario = Scenario.GitLabCom().WithToken(t => t.ExpiresIn(TimeSpan.FromSeconds(-301)));
        var now = Tokens.Now.ToUnixTimeSeconds();

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.ExpiredTokenException, decision.Code);
        // AWS prints no space between "date/time" and the expiry (StsMessages.TokenExpired has the source).
        Assert.Equal($"Token expired: current date/time {now} must be before the expiration date/time{now - 301}", decision.Message);
        Assert.Contains(decision.Checks, c => c.Name == "expiry" && !c.Passed);
    }

    [Fact]
    public void Should_RejectAsInvalid_When_NbfIsMoreThanFiveMinutesAhead()
    {
        // Given
        var scenario = Scenario.GitLabCom().WithToken(t => t.NotBefore(TimeSpan.FromSeconds(301)));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.InvalidIdentityToken, decision.Code);
        Assert.Contains("nbf", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Allow_When_NbfIsAheadByLessThanTheSkew()
    {
        // Given
        var scenario = Scenario.GitLabCom().WithToken(t => t.NotBefore(TimeSpan.FromSeconds(299)));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Theory]
    [InlineData("a", "Member must have length greater than or equal to 2")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Member must have length less than or equal to 64")]
    [InlineData("ci job", "Member must satisfy regular expression pattern: [\\w+=,.@-]*")]
    [InlineData("ci/job", "Member must satisfy regular expression pattern: [\\w+=,.@-]*")]
    public void Should_FailValidation_When_RoleSessionNameBreaksAConstraint(string sessionName, string constraint)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithParameters(new AssumeRoleParameters(RoleSessionName: sessionName));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.ValidationError, decision.Code);
        Assert.Equal($"1 validation error detected: Value '{sessionName}' at 'roleSessionName' failed to satisfy constraint: {constraint}", decision.Message);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("a+=,.@-_")]
    [InlineData("GitLabRunner-42-9000")]
    public void Should_Allow_When_RoleSessionNameIsWithinTheConstraints(string sessionName)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithParameters(new AssumeRoleParameters(RoleSessionName: sessionName));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Fact]
    public void Should_FailValidation_When_DurationSecondsIsBelow900()
    {
        // Given
        var scenario = Scenario.GitLabCom().WithParameters(new AssumeRoleParameters(DurationSeconds: 899));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.ValidationError, decision.Code);
        Assert.Equal("1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900", decision.Message);
    }

    [Fact]
    public void Should_FailValidation_When_DurationSecondsExceedsTheRoleMaximum()
    {
        // Given
        var scenario = Scenario.GitLabCom().WithParameters(new AssumeRoleParameters(DurationSeconds: 3601, MaxSessionDuration: 3600));

        // When
        var decision = scenario.Simulate();

        // Then AWS answers "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
        Assert.Equal(DecisionCode.ValidationError, decision.Code);
        Assert.StartsWith("The requested DurationSeconds exceeds the MaxSessionDuration set for this role", decision.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(900, 3600)]
    [InlineData(3600, 3600)]
    [InlineData(43200, 43200)]
    public void Should_Allow_When_DurationSecondsIsFrom900ToTheRoleMaximum(int duration, int maximum)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithParameters(new AssumeRoleParameters(DurationSeconds: duration, MaxSessionDuration: maximum));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
    }

    [Theory]
    [InlineData("""{"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}""")]
    [InlineData("""{"Federated": "arn:aws:iam::444455556666:oidc-provider/gitlab.com"}""")]
    [InlineData("""{"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.example.com"}""")]
    [InlineData("""{"AWS": "arn:aws:iam::111122223333:root"}""")]
    public void Should_DenyAccess_When_PrincipalNamesAnotherProviderOrAccount(string principal)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.Principal(principal));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.Equal("Not authorized to perform sts:AssumeRoleWithWebIdentity", decision.Message);
        Assert.Equal(403, decision.HttpStatus);
        Assert.False(decision.Statement().PrincipalMatched);
    }

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("""{"AWS": "*"}""")]
    [InlineData("""{"Federated": ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", "arn:aws:iam::111122223333:oidc-provider/gitlab.com"]}""")]
    public void Should_Allow_When_PrincipalAdmitsEveryoneOrListsTheProvider(string principal)
    {
        // Given
        var scenario = Scenario.GitLabCom().WithPolicy(p => p.Principal(principal));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.True(decision.Statement().PrincipalMatched);
    }

    [Fact]
    public void Should_DenyTagSession_When_TokenCarriesSessionTagsAndPolicyAllowsOnlyAssume()
    {
        // Given a token with AWS session tags and a policy without sts:TagSession
        var scenario = Scenario.GitLabCom().WithToken(t => t.With(
            "https://aws.amazon.com/tags",
            System.Text.Json.Nodes.JsonNode.Parse("""{"principal_tags": {"team": ["infra"]}, "transitive_tag_keys": ["team"]}""")));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.AccessDenied, decision.Code);
        Assert.Equal("Not authorized to perform sts:TagSession", decision.Message);
        Assert.Contains(decision.Evaluations, e => e.Action == "sts:TagSession" && !e.Allowed);
    }

    [Fact]
    public void Should_Allow_When_TokenCarriesSessionTagsAndPolicyAllowsTagSession()
    {
        // Given
        var scenario = Scenario.GitLabCom()
            .WithToken(t => t.With(
                "https://aws.amazon.com/tags",
                System.Text.Json.Nodes.JsonNode.Parse("""{"principal_tags": {"team": ["infra"]}, "transitive_tag_keys": ["team"]}""")))
            .WithPolicy(p => p.Action("""["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]"""));

        // When
        var decision = scenario.Simulate();

        // Then
        Assert.Equal(DecisionCode.Allow, decision.Code);
        Assert.Contains(decision.Evaluations, e => e.Action == "sts:TagSession" && e.Allowed);
    }
}
