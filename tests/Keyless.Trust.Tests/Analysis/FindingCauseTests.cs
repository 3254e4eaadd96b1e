using Keyless.Trust.Analysis;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Analysis;

/// <summary>Findings name their cause: values that can never match, the ref a witness uses, the operator used.</summary>
public sealed class FindingCauseTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_893_456_000);
    private static readonly OidcProvider GitLab = new("https://gitlab.com", ["https://gitlab.com"]);

    private static RoleAnalysis Analyze(string statements, OidcProvider? provider = null)
    {
        var policy = PolicyParser.Parse("policy.json", "{\"Version\": \"2012-10-17\", \"Statement\": [" + statements + "]}");
        return TrustAnalyzer.Analyze(new RoleTrust("role", "policy.json", policy, 3600), provider is null ? [] : [provider], null, Now);
    }

    private static string Allow(string conditions) =>
        "{\"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/gitlab.com\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {" + conditions + "}}";

    [Theory]
    [InlineData("project_path:ops/app1", "lacks the :ref_type:TYPE:ref:REF part")]
    [InlineData("project_path:ops/app1:ref_type:branch", "after :ref_type: GitLab writes branch or tag, then :ref:")]
    [InlineData("repo:ops/app1:ref:refs/heads/main", "starts with project_path:")]
    [InlineData("project_path:ops:ref_type:branch:ref:main", "has a namespace and a project")]
    public void Should_NameTheValueAndWhy_When_ASubValueCanNeverMatchWhileAnotherAdmits(string dead, string why)
    {
        // When: the other value still admits every project of tools
        var analysis = Analyze(Allow($"\"StringLike\": {{\"gitlab.com:sub\": [\"{dead}\", \"project_path:tools/*:ref_type:branch:ref:main\"]}}"));

        // Then
        var finding = Assert.Single(analysis.Findings, f => f.Rule == Rules.ValueNeverMatches);
        Assert.Contains($"\"{dead}\" can never match", finding.Message, StringComparison.Ordinal);
        Assert.Contains(why, finding.Message, StringComparison.Ordinal);
        Assert.Contains("silently locked out", finding.Message, StringComparison.Ordinal);
        Assert.NotEmpty(analysis.Admitted);
    }

    [Fact]
    public void Should_NameEveryDeadValueInAdmitsNobody_When_NoValueCanMatch()
    {
        var analysis = Analyze(Allow("\"StringEquals\": {\"gitlab.com:sub\": [\"project_path:ops/app1\", \"project_path:ops/app2:ref_type:branch\"]}"));

        var nobody = Assert.Single(analysis.Findings, f => f.Rule == Rules.AdmitsNobody);
        Assert.Contains("\"project_path:ops/app1\" can never match", nobody.Message, StringComparison.Ordinal);
        Assert.Contains("\"project_path:ops/app2:ref_type:branch\" can never match", nobody.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("findings above", nobody.Message + nobody.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SayTheConditionsExcludeEachOther_When_AdmitsNobodyHasNoDeadValue()
    {
        // Each value can match; together they cannot (two different exact subs in one statement).
        var analysis = Analyze(Allow("\"StringEquals\": {\"gitlab.com:sub\": \"project_path:a/b:ref_type:branch:ref:main\"}, \"StringLike\": {\"gitlab.com:sub\": \"project_path:c/*:ref_type:branch:ref:main\"}"));

        var nobody = Assert.Single(analysis.Findings, f => f.Rule == Rules.AdmitsNobody);
        Assert.Contains("exclude one another", nobody.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("findings above", nobody.Message + nobody.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_NameTheRefusedAudience_When_ProviderDoesNotListIt()
    {
        var analysis = Analyze(Allow("\"StringEquals\": {\"gitlab.com:aud\": \"sts.amazonaws.com\", \"gitlab.com:sub\": \"project_path:a/b:ref_type:branch:ref:main\"}"), GitLab);

        var refused = Assert.Single(analysis.Findings, f => f.Rule == Rules.ValueNeverMatches);
        Assert.Contains("gitlab.com:aud \"sts.amazonaws.com\" can never match", refused.Message, StringComparison.Ordinal);
        Assert.Contains("client-ID list (\"https://gitlab.com\")", refused.Message, StringComparison.Ordinal);
        Assert.Contains("sts.amazonaws.com", Assert.Single(analysis.Findings, f => f.Rule == Rules.AdmitsNobody).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_StateTheAssumedClientIds_When_ProviderIsNotKnown()
    {
        var analysis = Analyze(Allow("\"StringEquals\": {\"gitlab.com:aud\": \"sts.amazonaws.com\", \"gitlab.com:sub\": \"project_path:a/b:ref_type:branch:ref:main\"}"));

        var basis = Assert.Single(analysis.Providers);
        Assert.Null(basis.ClientIds);
        Assert.DoesNotContain(analysis.Findings, f => f.Rule == Rules.ValueNeverMatches || f.Rule == Rules.AdmitsNobody);
    }

    [Fact]
    public void Should_NameTheWitnessRef_When_RefIsAdmittedAsBranchAndTag()
    {
        var analysis = Analyze(Allow("\"StringLike\": {\"gitlab.com:sub\": \"project_path:acme/site:ref_type:*:ref:*\"}, \"StringEquals\": {\"gitlab.com:project_id\": \"42\"}"), GitLab);

        var finding = Assert.Single(analysis.Findings, f => f.Rule == Rules.RefTypeWildcard);
        Assert.Contains($"The ref \"{finding.Witness!["ref"]}\"", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_UseAWildcardRefInTheWitnessAndPrintThePattern_When_ExactRefAndPatternAreAdmitted()
    {
        var analysis = Analyze(Allow("\"StringLike\": {\"gitlab.com:sub\": [\"project_path:acme/site:ref_type:branch:ref:main\", \"project_path:acme/site:ref_type:branch:ref:release/*\"]}, \"StringEquals\": {\"gitlab.com:project_id\": \"42\"}"), GitLab);

        var finding = Assert.Single(analysis.Findings, f => f.Rule == Rules.RefWildcard);
        Assert.StartsWith("release/", (string)finding.Witness!["ref"]!, StringComparison.Ordinal);
        var refs = Assert.Single(analysis.Admitted).Refs;
        Assert.Equal(ValueSetKind.Pattern, refs.Kind);
        Assert.Equal(["release/*"], refs.Patterns);
        Assert.Equal(["main"], refs.Values);
    }

    [Fact]
    public void Should_TreatKeyNamesCaseInsensitively_When_KeysAreWrittenInMixedCase()
    {
        var lower = Analyze(Allow("\"StringEquals\": {\"gitlab.com:sub\": \"project_path:a/b:ref_type:branch:ref:main\", \"gitlab.com:project_id\": \"42\"}"), GitLab);
        var mixed = Analyze(Allow("\"StringEquals\": {\"GitLab.com:Sub\": \"project_path:a/b:ref_type:branch:ref:main\", \"GITLAB.COM:project_ID\": \"42\"}"), GitLab);

        Assert.Equal(lower.Findings.Select(f => f.Rule.Id), mixed.Findings.Select(f => f.Rule.Id));
        Assert.Equal(lower.Admitted.Select(g => g.Projects.ToString() + g.Refs + g.OtherClaims["project_id"]), mixed.Admitted.Select(g => g.Projects.ToString() + g.Refs + g.OtherClaims["project_id"]));
    }

    [Fact]
    public void Should_ReportOtherPrincipals_When_TrustPolicyAlsoNamesAnAwsRole()
    {
        var analysis = Analyze(Allow("\"StringEquals\": {\"gitlab.com:sub\": \"project_path:a/b:ref_type:branch:ref:main\"}")
            + ", {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/runner\"}, \"Action\": \"sts:AssumeRole\"}", GitLab);

        var finding = Assert.Single(analysis.Findings, f => f.Rule == Rules.OtherPrincipals);
        Assert.Contains("AWS:arn:aws:iam::111122223333:role/runner", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_NotSayAdmitsNobody_When_RoleTrustsOnlyAServicePrincipal()
    {
        var analysis = Analyze("{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}");

        Assert.Equal([Rules.OtherPrincipals], analysis.Findings.Select(f => f.Rule));
    }

    [Theory]
    [InlineData("ForAnyValue:StringLike", "ForAnyValue acts like the plain operator")]
    [InlineData("ForAllValues:StringLike", "ForAllValues is also true when the key is absent")]
    public void Should_WordTheSetOperatorFindingForTheOperatorUsed_When_ASetOperatorIsOnSub(string op, string expected)
    {
        var analysis = Analyze(Allow($"\"{op}\": {{\"gitlab.com:sub\": \"project_path:a/b:ref_type:branch:ref:main\"}}"), GitLab);

        Assert.Contains(expected, Assert.Single(analysis.Findings, f => f.Rule == Rules.SetOperatorOnSingleValue).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_HintAtRefProtected_When_GitLabComRolePinsNoProtectedRef()
    {
        var unpinned = Analyze(Allow("\"StringEquals\": {\"gitlab.com:sub\": \"project_path:a/b:ref_type:branch:ref:main\", \"gitlab.com:project_id\": \"42\"}"), GitLab);
        var pinned = Analyze(Allow("\"StringEquals\": {\"gitlab.com:sub\": \"project_path:a/b:ref_type:branch:ref:main\", \"gitlab.com:project_id\": \"42\", \"gitlab.com:ref_protected\": \"true\"}"), GitLab);

        Assert.Contains(unpinned.Findings, f => f.Rule == Rules.RefProtectedUnpinned);
        Assert.DoesNotContain(pinned.Findings, f => f.Rule == Rules.RefProtectedUnpinned);
    }
}
