using Keyless.Core.Findings;
using Keyless.Trust.Analysis;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Analysis;

/// <summary>KL025–KL027: conditions whose outcome rests on a documented surprise, a contradiction or an open question.</summary>
public sealed class SemanticChoiceFindingsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_893_456_000);
    private static readonly OidcProvider GitLab = new("https://gitlab.com", ["https://gitlab.com"]);

    private const string Pinned = "\"StringEquals\": {\"gitlab.com:aud\": \"https://gitlab.com\", \"gitlab.com:project_id\": \"42\", \"gitlab.com:ref_protected\": \"true\", \"gitlab.com:sub\": \"project_path:acme/website:ref_type:branch:ref:main\"}";

    private static RoleAnalysis Analyze(string conditions, string version = "2012-10-17")
    {
        var policy = PolicyParser.Parse("policy.json", "{\"Version\": \"" + version + "\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/gitlab.com\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {" + Pinned + ", " + conditions + "}}]}");
        return TrustAnalyzer.Analyze(new RoleTrust("role", "policy.json", policy, 3600), [GitLab], null, Now);
    }

    [Theory]
    [InlineData("NumericEquals", "can never match")]
    [InlineData("NumericNotEquals", "holds for every request")]
    [InlineData("NumericEqualsIfExists", "only when the key is absent")]
    [InlineData("DateGreaterThan", "can never match")]
    [InlineData("IpAddress", "can never match")]
    [InlineData("BinaryEquals", "can never match")]
    public void Should_ReportLiteralText_When_AnOperatorWithoutVariablesHasOne(string op, string outcome)
    {
        // When
        var analysis = Analyze($$"""
            "{{op}}": {"gitlab.com:namespace_id": "${gitlab.com:project_id}"}
            """);

        // Then
        var finding = Assert.Single(analysis.Findings, f => f.Rule == Rules.VariableNotSubstituted);
        Assert.Contains(outcome, finding.Message, StringComparison.Ordinal);
        Assert.Contains("${gitlab.com:project_id}", finding.Message, StringComparison.Ordinal);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Should_NotReportAVariable_When_TheOperatorIsAStringOperator()
    {
        // When
        var analysis = Analyze("""
            "StringEquals": {"gitlab.com:namespace_id": "${gitlab.com:project_id}"}
            """);

        // Then
        Assert.DoesNotContain(analysis.Findings, f => f.Rule == Rules.VariableNotSubstituted || f.Rule == Rules.VariableInBool);
    }

    [Fact]
    public void Should_NotReportAVariable_When_VersionMakesEveryValueLiteral()
    {
        // When: with 2008-10-17 "${…}" is text in every operator, so nothing depends on the operator
        var analysis = Analyze("""
            "NumericEquals": {"gitlab.com:namespace_id": "${gitlab.com:project_id}"}
            """, version: "2008-10-17");

        // Then
        Assert.DoesNotContain(analysis.Findings, f => f.Rule == Rules.VariableNotSubstituted);
    }

    [Fact]
    public void Should_WarnAboutTheContradiction_When_BoolHasAVariable()
    {
        // When
        var analysis = Analyze("""
            "Bool": {"aws:SecureTransport": "${aws:SecureTransport}"}
            """);

        // Then
        var finding = Assert.Single(analysis.Findings, f => f.Rule == Rules.VariableInBool);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("substitutes", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StringEquals")]
    [InlineData("StringNotLike")]
    public void Should_WarnThatTheResultDependsOnTheChoice_When_AmrHasNoSetOperator(string op)
    {
        // When
        var analysis = Analyze($$"""
            "{{op}}": {"gitlab.com:amr": "mfa"}
            """);

        // Then
        var finding = Assert.Single(analysis.Findings, f => f.Rule == Rules.AmrWithoutSetOperator);
        Assert.Contains($"ForAnyValue:{op}", finding.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ForAnyValue:StringEquals")]
    [InlineData("ForAllValues:StringEquals")]
    public void Should_NotWarnAboutAmr_When_ASetOperatorSaysWhatIsMeant(string op)
    {
        // When
        var analysis = Analyze($$"""
            "{{op}}": {"gitlab.com:amr": "mfa"}
            """);

        // Then
        Assert.DoesNotContain(analysis.Findings, f => f.Rule == Rules.AmrWithoutSetOperator);
    }

    [Fact]
    public void Should_ShowThePinnedRunnerEnvironment_When_TheRoleRequiresGitLabHostedRunners()
    {
        // When
        var analysis = Analyze("""
            "StringLike": {"gitlab.com:runner_environment": "gitlab-*"}
            """);

        // Then: runner_environment is a key AWS sets for gitlab.com, with GitLab's two values
        Assert.DoesNotContain(analysis.Findings, f => f.Rule == Rules.KeyNeverPresent || f.Rule == Rules.AdmitsNobody);
        var grant = Assert.Single(analysis.Admitted);
        Assert.Equal(ValueSet.Exact(["gitlab-hosted"]).ToString(), grant.OtherClaims["runner_environment"].ToString());
        Assert.Equal(["gitlab-hosted"], grant.OtherClaims["runner_environment"].Values);
    }

    [Fact]
    public void Should_ReportThatNobodyGetsIn_When_NumericEqualsComparesWithAVariable()
    {
        // When: the literal text "${gitlab.com:project_id}" is no number, so no token's namespace_id equals it
        var analysis = Analyze("""
            "NumericEquals": {"gitlab.com:namespace_id": "${gitlab.com:project_id}"}
            """);

        // Then
        Assert.Contains(analysis.Findings, f => f.Rule == Rules.AdmitsNobody);
        Assert.Empty(analysis.Admitted);
    }
}
