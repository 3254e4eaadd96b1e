using System.Text.Json;
using System.Text.Json.Nodes;
using Keyless.Trust;

namespace Keyless.Infrastructure.Tests;

/// <summary>Each deploy role trusts exactly <see cref="DeployTrustPolicy.Conditions"/>: one source of truth with the analyzer.</summary>
[Collection(SynthesizedStacksDefinition.Name)]
public sealed class TrustPolicyTests(SynthesizedStacks stacks)
{
    private static JsonObject Statement(JsonObject role) =>
        Assert.Single(role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!.AsObject();

    [Fact]
    public void Should_TrustExactlyTheDeployTrustPolicyConditions_When_AnyConfigIsSynthesized()
    {
        foreach (var stack in new[] { stacks.Repo, stacks.SelfManaged, stacks.Imported, stacks.Broadened })
        {
            foreach (var environment in stack.Config.Environments)
            {
                // Given
                var expected = JsonSerializer.SerializeToNode(DeployTrustPolicy.Conditions(stack.Config, environment));

                // When
                var statement = Statement(stack.RoleTagged(environment.Name).Properties);

                // Then
                Assert.True(JsonNode.DeepEquals(expected, statement["Condition"]), $"{stack.Stack.StackName} {environment.Name}: {statement["Condition"]!.ToJsonString()} is not {expected!.ToJsonString()}");
                Assert.Equal("Allow", (string?)statement["Effect"]);
                Assert.Equal("sts:AssumeRoleWithWebIdentity", (string?)statement["Action"]);
            }
        }
    }

    [Fact]
    public void Should_PinAudienceSubjectProjectNamespaceAndProtection_When_InstanceIsGitLabCom()
    {
        // When
        var staging = Statement(stacks.Repo.RoleTagged("staging").Properties)["Condition"]!;
        var production = Statement(stacks.Repo.RoleTagged("production").Properties)["Condition"]!;

        // Then: main exactly (StringEquals), v* as a pattern (StringLike), both on the project's immutable IDs
        foreach (var condition in new[] { staging, production })
        {
            Assert.Equal("sts.amazonaws.com", (string?)condition["StringEquals"]!["gitlab.com:aud"]);
            Assert.Equal("61425730", (string?)condition["StringEquals"]!["gitlab.com:project_id"]);
            Assert.Equal("98765432", (string?)condition["StringEquals"]!["gitlab.com:namespace_id"]);
            Assert.Equal("true", (string?)condition["StringEquals"]!["gitlab.com:ref_protected"]);
        }

        Assert.Equal("project_path:keyless-demo/website:ref_type:branch:ref:main", (string?)staging["StringEquals"]!["gitlab.com:sub"]);
        Assert.Null(staging["StringLike"]);
        Assert.Equal("project_path:keyless-demo/website:ref_type:tag:ref:v*", (string?)production["StringLike"]!["gitlab.com:sub"]);
        Assert.Null(production["StringEquals"]!["gitlab.com:sub"]);
    }

    [Fact]
    public void Should_PinOnlyAudienceAndSubject_When_InstanceIsSelfManaged()
    {
        foreach (var environment in new[] { "staging", "production" })
        {
            var condition = Statement(stacks.SelfManaged.RoleTagged(environment).Properties)["Condition"]!.AsObject();

            var keys = condition.SelectMany(op => op.Value!.AsObject().Select(k => k.Key)).Order(StringComparer.Ordinal);

            // AWS exposes only the generic claims of a self-managed issuer: project_id and friends would never match.
            Assert.Equal(["gitlab.example.com:aud", "gitlab.example.com:sub"], keys);
        }
    }

    [Fact]
    public void Should_FederateWithTheStacksProvider_When_ProviderIsCreated()
    {
        var provider = stacks.Repo.LogicalId(stacks.Repo.Stack.Provider);

        foreach (var environment in stacks.Repo.Config.Environments)
        {
            var principal = Statement(stacks.Repo.RoleTagged(environment.Name).Properties)["Principal"]!;

            Assert.Equal($$$"""{"Federated":{"Fn::GetAtt":["{{{provider}}}","Arn"]}}""", principal.ToJsonString());
        }
    }

    [Fact]
    public void Should_FederateWithTheExistingProvider_When_AccountAlreadyHasOne()
    {
        var principal = Statement(stacks.Imported.RoleTagged("staging").Properties)["Principal"]!;

        Assert.Equal("""{"Federated":"arn:aws:iam::111122223333:oidc-provider/gitlab.com"}""", principal.ToJsonString());
    }

    [Fact]
    public void Should_LimitSessionsToOneHourAndTagTheEnvironment_When_RoleIsSynthesized()
    {
        var roles = stacks.Repo.OfType("AWS::IAM::Role");

        Assert.Equal(["production", "staging"], roles.Select(r => StackUnderTest.EnvironmentTag(r.Resource)).Order(StringComparer.Ordinal));
        Assert.All(roles, role =>
        {
            var properties = role.Resource["Properties"]!;
            Assert.Equal(3600, (int)properties["MaxSessionDuration"]!);
            Assert.Contains($"the {StackUnderTest.EnvironmentTag(role.Resource)} site", (string?)properties["Description"], StringComparison.Ordinal);
            Assert.Null(properties["ManagedPolicyArns"]);
            Assert.Null(properties["RoleName"]);
        });
    }
}
