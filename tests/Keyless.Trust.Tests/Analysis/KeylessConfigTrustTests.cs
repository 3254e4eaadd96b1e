using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Trust.Analysis;

namespace Keyless.Trust.Tests.Analysis;

/// <summary>
/// What the trust engine derives from a keyless.json: each environment's role expectation, and the proof that
/// no ref can deploy to two environments.
/// </summary>
public sealed class KeylessConfigTrustTests
{
    private const string Minimal = """
        {"gitlab": {"project": "acme/website", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}
        """;

    [Fact]
    public void Should_PinIdsAndProtection_When_ExpectationIsForGitLabCom()
    {
        var config = KeylessConfigParser.Parse("k.json", Minimal);

        var expectation = RoleExpectation.For(config, config.Environment("production"));

        Assert.Equal("42", expectation.ProjectId);
        Assert.True(expectation.ProtectedOnly);
    }

    [Fact]
    public void Should_NotPinGitLabComKeys_When_InstanceIsSelfManaged()
    {
        var config = KeylessConfigParser.Parse("k.json", """
            {"gitlab": {"url": "https://gitlab.example.com", "project": "platform/site", "projectId": "7"}, "aws": {"account": "111122223333", "region": "us-east-1"}}
            """);

        var expectation = RoleExpectation.For(config, config.Environment("staging"));

        Assert.Null(expectation.ProjectId);
        Assert.False(expectation.ProtectedOnly);
        Assert.Equal("gitlab.example.com", config.GitLab.KeyPrefix);
    }

    [Theory]
    [InlineData("\"branch:*\"", "\"branch:main\"")]
    [InlineData("\"tag:v*\"", "\"tag:v1.*\"")]
    [InlineData("\"branch:release/*\"", "\"branch:release/2.0\"")]
    public void Should_RefuseOverlappingEnvironments_When_ARefCouldDeployToBoth(string staging, string production)
    {
        var json = """{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["""
            + staging + """]}, "production": {"refs": [""" + production + "]}}}";

        var error = Assert.Throws<KeylessException>(() => ExpectationOverlap.VerifyDisjoint(KeylessConfigParser.Parse("keyless.json", json)));

        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
        Assert.Contains("project_path:a/b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_AcceptDisjointEnvironments_When_BranchAndTagShareAName()
    {
        var json = """
            {"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"},
             "environments": {"staging": {"refs": ["branch:main", "branch:release/*"]}, "production": {"refs": ["tag:main", "tag:v*"]}}}
            """;

        var config = KeylessConfigParser.Parse("k.json", json);

        ExpectationOverlap.VerifyDisjoint(config);
        Assert.Equal(2, config.Environments.Count);
    }
}
