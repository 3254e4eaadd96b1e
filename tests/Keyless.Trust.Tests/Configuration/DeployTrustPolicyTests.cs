using Keyless.Core.Configuration;
using Keyless.Core.Findings;
using Keyless.Trust.Analysis;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Configuration;

/// <summary>The policies built from a config admit exactly what the config names, with no finding.</summary>
public sealed class DeployTrustPolicyTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_893_456_000);

    [Theory]
    [InlineData("""{"gitlab": {"project": "acme/website", "projectId": "42", "namespaceId": "7"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""")]
    [InlineData("""{"gitlab": {"project": "acme/website", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["branch:main", "branch:release/*"], "protected": true}, "production": {"refs": ["tag:v*"], "protected": true}, "preview": {"refs": ["branch:preview"]}}}""")]
    [InlineData("""{"gitlab": {"url": "https://gitlab.example.com", "project": "platform/site", "audience": "sts.amazonaws.com"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""")]
    public void Should_AdmitExactlyTheConfiguredRefs_When_PolicyIsBuiltFromConfig(string json)
    {
        // Given
        var config = KeylessConfigParser.Parse("keyless.json", json);
        var provider = new OidcProvider(config.GitLab.Url, [config.GitLab.Audience]);

        foreach (var environment in config.Environments)
        {
            // When
            var policy = PolicyParser.Parse("built", DeployTrustPolicy.Json(config, environment, DeployTrustPolicy.ProviderArn(config)));
            var analysis = TrustAnalyzer.Analyze(new RoleTrust(environment.Name, "built", policy, 3600), [provider], RoleExpectation.For(config, environment), Now);

            // Then: no error, and nothing but the unprotectable patterns of self-managed or unprotected refs
            // (a warning for patterns, a hint for an exact ref the config leaves unprotected)
            Assert.DoesNotContain(analysis.Findings, f => f.Severity == Severity.Error);
            Assert.All(analysis.Findings, f => Assert.Contains(f.Rule, new[] { Rules.RefWildcard, Rules.RefProtectedUnpinned }));
            Assert.NotEmpty(analysis.Admitted);
        }
    }

    [Fact]
    public void Should_PinProjectIdNamespaceAndProtection_When_InstanceIsGitLabCom()
    {
        var config = KeylessConfigParser.Parse("k.json", """{"gitlab": {"project": "acme/website", "projectId": "42", "namespaceId": "7"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""");

        var conditions = DeployTrustPolicy.Conditions(config, config.Environment("production"));

        Assert.Equal("42", conditions["StringEquals"]["gitlab.com:project_id"]);
        Assert.Equal("7", conditions["StringEquals"]["gitlab.com:namespace_id"]);
        Assert.Equal("true", conditions["StringEquals"]["gitlab.com:ref_protected"]);
        Assert.Equal("https://gitlab.com", conditions["StringEquals"]["gitlab.com:aud"]);
        Assert.Equal("project_path:acme/website:ref_type:tag:ref:v*", conditions["StringLike"]["gitlab.com:sub"]);
        Assert.Equal("arn:aws:iam::111122223333:oidc-provider/gitlab.com", DeployTrustPolicy.ProviderArn(config));
    }
}
