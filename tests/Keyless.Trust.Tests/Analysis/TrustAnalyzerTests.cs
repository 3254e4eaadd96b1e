using Keyless.Core.Configuration;
using Keyless.Core.Findings;
using Keyless.Trust.Analysis;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Analysis;

public sealed class TrustAnalyzerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_893_456_000);
    private static readonly OidcProvider GitLab = new("https://gitlab.com", ["https://gitlab.com"]);

    private const string Principal = "\"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/gitlab.com\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\"";
    private const string Pins = "\"gitlab.com:aud\": \"https://gitlab.com\", \"gitlab.com:project_id\": \"42\", \"gitlab.com:ref_protected\": \"true\"";

    private static RoleAnalysis Analyze(string conditions, int maxSession = 3600, OidcProvider? provider = null, RoleExpectation? expectation = null)
    {
        var policy = PolicyParser.Parse("policy.json", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", " + Principal + ", \"Condition\": {" + conditions + "}}]}");
        return TrustAnalyzer.Analyze(new RoleTrust("role", "policy.json", policy, maxSession), [provider ?? GitLab], expectation, Now);
    }

    private static Finding Single(RoleAnalysis analysis, Rule rule) =>
        Assert.Single(analysis.Findings, f => f.Rule == rule);

    [Fact]
    public void Should_ReportNothing_When_PolicyPinsProjectIdAudienceProtectedMainBranch()
    {
        // When
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}, "gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:main"}
            """);

        // Then
        Assert.Empty(analysis.Findings);
        var grant = Assert.Single(analysis.Admitted);
        Assert.Equal("\"acme/website\"", grant.Projects.ToString());
        Assert.Equal("\"main\"", grant.Refs.ToString());
        Assert.Equal("branch", grant.RefType);
        Assert.Equal("\"42\"", grant.OtherClaims["project_id"].ToString());
    }

    [Fact]
    public void Should_ReportAnyProjectWithAnAttackerWitness_When_OnlyTheAudienceIsPinned()
    {
        var analysis = Analyze("\"StringEquals\": {\"gitlab.com:aud\": \"https://gitlab.com\"}");

        var finding = analysis.Findings.First(f => f.Rule == Rules.SubUnrestricted);
        Assert.Equal("project_path:attacker/project:ref_type:branch:ref:feature/evil", finding.Witness!["sub"]!.ToString());
        Assert.Contains(analysis.Findings, f => f.Rule == Rules.IamWouldRefuse);
    }

    [Fact]
    public void Should_ReportOtherNamespacesWithLookAlikeWitness_When_ProjectPathEndsInAWildcardWithoutSlash()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}}, "StringLike": {"gitlab.com:sub": "project_path:acme*:ref_type:branch:ref:main"}
            """);

        var finding = Single(analysis, Rules.OtherNamespaces);
        Assert.Equal("project_path:acme-evil/project:ref_type:branch:ref:main", finding.Witness!["sub"]!.ToString());
        Assert.Equal("acme-evil", finding.Witness["namespace_path"]!.ToString());
    }

    [Fact]
    public void Should_ReportOtherProjectsAsWarning_When_WildcardStaysInTheNamespace()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}}, "StringLike": {"gitlab.com:sub": "project_path:acme/*:ref_type:branch:ref:main"}
            """);

        var finding = Single(analysis, Rules.OtherProjects);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.StartsWith("project_path:acme/", finding.Witness!["sub"]!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(analysis.Findings, f => f.Rule == Rules.OtherNamespaces);
    }

    [Fact]
    public void Should_ReportAnyRef_When_RefIsAWildcard()
    {
        var analysis = Analyze($$"""
            "StringEquals": {"gitlab.com:aud": "https://gitlab.com", "gitlab.com:project_id": "42"}, "StringLike": {"gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:*"}
            """);

        var finding = Single(analysis, Rules.AnyRef);
        Assert.Equal("feature/evil", finding.Witness!["ref"]!.ToString());
    }

    [Fact]
    public void Should_WarnAboutRefPrefix_When_UnprotectedBranchesMatchAPattern()
    {
        var analysis = Analyze("""
            "StringEquals": {"gitlab.com:aud": "https://gitlab.com", "gitlab.com:project_id": "42"}, "StringLike": {"gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:release/*"}
            """);

        var finding = Single(analysis, Rules.RefWildcard);
        Assert.StartsWith("release/", finding.Witness!["ref"]!.ToString(), StringComparison.Ordinal);
        Assert.Contains("matching \"release/*\"", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_AcceptProtectedReleaseTagPattern_When_RefProtectedIsPinned()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}}, "StringLike": {"gitlab.com:sub": "project_path:acme/website:ref_type:tag:ref:v*"}
            """);

        Assert.Empty(analysis.Findings);
        Assert.Equal("matching \"v*\"", Assert.Single(analysis.Admitted).Refs.ToString());
    }

    [Fact]
    public void Should_ReportTagNamedLikeBranch_When_RefTypeIsAWildcard()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}}, "StringLike": {"gitlab.com:sub": "project_path:acme/website:ref_type:*:ref:main"}
            """);

        var finding = Single(analysis, Rules.RefTypeWildcard);
        Assert.Equal("project_path:acme/website:ref_type:tag:ref:main", finding.Witness!["sub"]!.ToString());
    }

    [Fact]
    public void Should_ReportLiteralWildcardAndNobody_When_StringEqualsHasAStar()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}, "gitlab.com:sub": "project_path:acme/website:ref_type:tag:ref:v*"}
            """);

        Assert.Equal(Severity.Warning, Single(analysis, Rules.EqualsWithWildcard).Severity);
        Assert.Contains(analysis.Findings, f => f.Rule == Rules.AdmitsNobody);
        Assert.Empty(analysis.Admitted);
    }

    [Fact]
    public void Should_ReportFailClosed_When_ConditionNamesAClaimAwsNeverSees()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}, "gitlab.com:project_path": "acme/website", "gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:main"}
            """);

        Assert.Contains("project_path", Single(analysis, Rules.KeyNeverPresent).Message, StringComparison.Ordinal);
        Assert.Contains(analysis.Findings, f => f.Rule == Rules.AdmitsNobody);
    }

    [Fact]
    public void Should_ReportVacuousNegation_When_NegatedOperatorNamesAnAbsentClaim()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}, "gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:main"}, "StringNotEquals": {"gitlab.com:environment": "production"}
            """);

        Assert.Equal(Severity.Error, Single(analysis, Rules.VacuousCondition).Severity);
    }

    [Fact]
    public void Should_ReportProviderSpecificKeyAsAbsent_When_IssuerIsSelfManaged()
    {
        var selfManaged = new OidcProvider("https://gitlab.example.com", ["https://gitlab.example.com"]);
        var policy = PolicyParser.Parse("p.json", """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.example.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": {"StringEquals": {"gitlab.example.com:sub": "project_path:p/w:ref_type:branch:ref:main", "gitlab.example.com:project_id": "42"}}}]}
            """);

        var analysis = TrustAnalyzer.Analyze(new RoleTrust("r", "p.json", policy, 3600), [selfManaged], null, Now);

        Assert.Contains(analysis.Findings, f => f.Rule == Rules.KeyNeverPresent);
        Assert.DoesNotContain(analysis.Findings, f => f.Rule == Rules.NoImmutablePin);
    }

    [Fact]
    public void Should_WarnAboutSetOperator_When_KeyIsSingleValued()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}}, "ForAllValues:StringEquals": {"gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:main"}
            """);

        Assert.Equal(Severity.Warning, Single(analysis, Rules.SetOperatorOnSingleValue).Severity);
    }

    [Fact]
    public void Should_ReportUnpinnedAudienceWithOtherClientId_When_ProviderListsSeveral()
    {
        var provider = new OidcProvider("https://gitlab.com", ["https://gitlab.com", "vault"]);
        var analysis = Analyze("""
            "StringEquals": {"gitlab.com:project_id": "42", "gitlab.com:ref_protected": "true", "gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:main"}
            """, provider: provider);

        Assert.Equal("vault", Single(analysis, Rules.AudienceUnpinned).Witness!["aud"]!.ToString());
    }

    [Fact]
    public void Should_WarnAboutNamespaceRecycling_When_GitLabComRoleHasNoIdPin()
    {
        var analysis = Analyze("""
            "StringEquals": {"gitlab.com:aud": "https://gitlab.com", "gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:main"}
            """);

        var finding = Single(analysis, Rules.NoImmutablePin);
        Assert.Equal("project_path:acme/website:ref_type:branch:ref:main", finding.Witness!["sub"]!.ToString());
    }

    [Fact]
    public void Should_WarnAboutLongSessions_When_MaxSessionDurationExceedsAnHour()
    {
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}, "gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:main"}
            """, maxSession: 43200);

        Assert.Contains("43200", Single(analysis, Rules.LongSessions).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SubtractDeny_When_ADenyStatementExcludesFeatureBranches()
    {
        var allow = "{\"Effect\": \"Allow\", " + Principal + ", \"Condition\": {\"StringEquals\": {" + Pins + "}, \"StringLike\": {\"gitlab.com:sub\": \"project_path:acme/website:ref_type:branch:ref:*\"}}}";
        var deny = "{\"Effect\": \"Deny\", " + Principal + ", \"Condition\": {\"StringNotEquals\": {\"gitlab.com:sub\": \"project_path:acme/website:ref_type:branch:ref:main\"}}}";
        var policy = PolicyParser.Parse("p.json", "{\"Version\": \"2012-10-17\", \"Statement\": [" + allow + ", " + deny + "]}");

        var analysis = TrustAnalyzer.Analyze(new RoleTrust("r", "p.json", policy, 3600), [GitLab], null, Now);

        Assert.Empty(analysis.Findings);
        Assert.Equal("\"main\"", Assert.Single(analysis.Admitted).Refs.ToString());
    }

    [Fact]
    public void Should_FailWithWitnessesBothWays_When_PolicyAndExpectationDiffer()
    {
        var expectation = new RoleExpectation("acme/website", [new ExpectedRef("branch", "main"), new ExpectedRef("branch", "develop")], ProjectId: "42", ProtectedOnly: true);
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}}, "StringLike": {"gitlab.com:sub": ["project_path:acme/website:ref_type:branch:ref:main", "project_path:acme/website:ref_type:tag:ref:v*"]}
            """, expectation: expectation);

        Assert.Equal("tag", Single(analysis, Rules.AdmitsMore).Witness!["ref_type"]!.ToString());
        Assert.Equal("develop", Single(analysis, Rules.AdmitsLess).Witness!["ref"]!.ToString());
    }

    [Fact]
    public void Should_ReportNoExpectationFinding_When_PolicyAdmitsExactlyTheExpectation()
    {
        var expectation = new RoleExpectation("acme/website", [new ExpectedRef("tag", "v*")], ProjectId: "42", ProtectedOnly: true);
        var analysis = Analyze($$"""
            "StringEquals": {{{Pins}}}, "StringLike": {"gitlab.com:sub": "project_path:acme/website:ref_type:tag:ref:v*"}
            """, expectation: expectation);

        Assert.Empty(analysis.Findings);
    }
}
