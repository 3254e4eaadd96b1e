using System.Text.Json;
using Keyless.Core.Configuration;
using Keyless.Core.Findings;
using Keyless.Trust.Analysis;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Infrastructure.Tests;

/// <summary>The synthesized template passes <c>keyless trust check</c> against its own config, and a broadened one does not.</summary>
[Collection(SynthesizedStacksDefinition.Name)]
public sealed class AnalyzerTests(SynthesizedStacks stacks)
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_893_456_000);

    /// <summary>Each role of the template, analyzed against the environment its tag names in <paramref name="expected"/>.</summary>
    private static Dictionary<string, RoleAnalysis> Analyze(StackUnderTest stack, KeylessConfig expected)
    {
        var set = TrustDocuments.Load(stack.Stack.TemplateFile, stack.TemplateText, stack.Config.Aws.Account);
        return set.Roles.ToDictionary(
            role => StackUnderTest.EnvironmentTag(stack.ResourceMap[role.Name]!.AsObject())!,
            role => TrustAnalyzer.Analyze(role, set.Providers, RoleExpectation.For(expected, expected.Environment(StackUnderTest.EnvironmentTag(stack.ResourceMap[role.Name]!.AsObject())!)), Now),
            StringComparer.Ordinal);
    }

    private static TokenClaims Claims(System.Text.Json.Nodes.JsonObject claims) =>
        TokenClaims.FromElement("example", JsonSerializer.SerializeToElement(claims));

    [Fact]
    public void Should_PassTheAnalyzerAndAdmitExactlyTheConfiguredRefs_When_RepoConfigIsSynthesized()
    {
        // When
        var analyses = Analyze(stacks.Repo, stacks.Repo.Config);

        // Then: not even a warning, and KL020/KL021 (admits more or less than the config) would be errors
        Assert.Equal(["production", "staging"], analyses.Keys.Order(StringComparer.Ordinal));
        Assert.All(analyses.Values, a => Assert.Empty(a.Findings));
        var staging = Assert.Single(analyses["staging"].Admitted);
        Assert.Equal("branch", staging.RefType);
        Assert.Contains("main", staging.Refs.ToString(), StringComparison.Ordinal);
        var production = Assert.Single(analyses["production"].Admitted);
        Assert.Equal("tag", production.RefType);
        Assert.Contains("v*", production.Refs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_HaveNoErrorFinding_When_InstanceIsSelfManagedOrProviderIsImported()
    {
        foreach (var stack in new[] { stacks.SelfManaged, stacks.Imported })
        {
            var analyses = Analyze(stack, stack.Config);

            Assert.Equal(stack.Config.Environments.Count, analyses.Count);
            Assert.All(analyses.Values, a => Assert.DoesNotContain(a.Findings, f => f.Severity == Severity.Error));
            Assert.All(analyses.Values, a => Assert.NotEmpty(a.Admitted));
        }
    }

    [Fact]
    public void Should_NotLetOneEnvironmentsRoleAdmitAnotherEnvironmentsToken_When_RepoConfigIsSynthesized()
    {
        // Given
        var analyses = Analyze(stacks.Repo, stacks.Repo.Config);

        foreach (var (name, analysis) in analyses)
        {
            foreach (var grant in analysis.Admitted)
            {
                // When
                var token = Claims(grant.Example);

                // Then: the example token of one environment is admitted by its role and by no other
                Assert.True(analysis.Admits(token), $"{name} does not admit its own example");
                Assert.All(analyses.Where(other => other.Key != name), other => Assert.False(other.Value.Admits(token), $"{other.Key} admits {name}'s token {grant.Example.ToJsonString()}"));
            }
        }
    }

    [Fact]
    public void Should_FailWithAnAdmitsMoreWitness_When_StagingIsBroadenedToEveryBranch()
    {
        // Given: a stack whose staging role trusts every protected branch, checked against the repository config
        var analyses = Analyze(stacks.Broadened, stacks.Repo.Config);

        // When
        var staging = Assert.Single(analyses).Value;
        var finding = Assert.Single(staging.Findings, f => f.Rule == Rules.AdmitsMore);

        // Then: a concrete token of another branch that STS would let in
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.NotNull(finding.Witness);
        var sub = (string?)finding.Witness["sub"];
        Assert.StartsWith("project_path:keyless-demo/website:ref_type:branch:ref:", sub, StringComparison.Ordinal);
        Assert.NotEqual("project_path:keyless-demo/website:ref_type:branch:ref:main", sub);
        Assert.True(staging.Admits(Claims(finding.Witness)));
        Assert.True(staging.HasErrors);
    }
}
