using Keyless.Stack;
using Keyless.Trust;

namespace Keyless.Infrastructure.Tests;

/// <summary>
/// The template <c>keyless aws template</c> writes against what the CDK app synthesizes from the same config (a
/// differential test: two renderings of the same specs). Every resource, property, retention policy and output
/// must be equal; the only differences allowed are CDK's hash suffixes on logical IDs, its bootstrap-version check, and the
/// account-unique names CDK derives from construct paths (cache and headers policy, function, origin access control, origin ID).
/// </summary>
[Collection(SynthesizedStacksDefinition.Name)]
public sealed class TemplateParityTests(SynthesizedStacks stacks)
{
    public static TheoryData<string> Stacks => ["Repo", "SelfManaged", "Imported", "Broadened"];

    private StackUnderTest Named(string name) => name switch
    {
        "Repo" => stacks.Repo,
        "SelfManaged" => stacks.SelfManaged,
        "Imported" => stacks.Imported,
        _ => stacks.Broadened,
    };

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Should_DeclareWhatTheCdkAppSynthesizes_When_TheSameConfigIsWritten(string name)
    {
        // Given
        var cdk = Named(name);
        var existing = name == "Imported" ? DeployTrustPolicy.ProviderArn(cdk.Config) : null;

        // When
        var keyless = CloudFormationTemplate.Build(cdk.Config, existing);

        // Then
        StackComparison.AssertSameStack(name, cdk.Json.DeepClone().AsObject(), keyless);
    }

    [Fact]
    public void Should_NeedNoBootstrap_When_TemplateIsWritten()
    {
        var template = CloudFormationTemplate.Build(stacks.Repo.Config);

        Assert.Null(template["Parameters"]);
        Assert.Null(template["Rules"]);
        Assert.DoesNotContain(template["Resources"]!.AsObject(), r => ((string?)r.Value!["Type"])!.StartsWith("Custom::", StringComparison.Ordinal) || (string?)r.Value!["Type"] == "AWS::Lambda::Function");
        Assert.DoesNotContain("cdk", template.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Should_RouteTheCacheBehaviourToTheOnlyOrigin_When_TemplateIsWritten()
    {
        var distribution = CloudFormationTemplate.Build(stacks.Repo.Config)["Resources"]!["StagingSiteDistribution"]!["Properties"]!["DistributionConfig"]!;

        Assert.Equal((string?)distribution["Origins"]![0]!["Id"], (string?)distribution["DefaultCacheBehavior"]!["TargetOriginId"]);
    }

    [Fact]
    public void Should_KeepAccountUniqueNamesWithinCloudFrontLimits_When_ProjectPathIsLong()
    {
        var config = stacks.Repo.Config with { GitLab = stacks.Repo.Config.GitLab with { Project = "a-very-long-group-name/with-a-subgroup-that-goes-on/and-a-project-whose-name-is-long-too" } };

        var template = CloudFormationTemplate.Build(config);

        // CloudFront's limits: 128 characters for cache and headers policies, 64 for functions and origin access controls.
        var names = template["Resources"]!.AsObject()
            .Select(r => r.Value!["Properties"]!)
            .Select(p => (p["CachePolicyConfig"]?["Name"] ?? p["ResponseHeadersPolicyConfig"]?["Name"], p["OriginAccessControlConfig"]?["Name"] ?? (p["FunctionCode"] is null ? null : p["Name"])))
            .SelectMany(p => new[] { ((string?)p.Item1, 128), ((string?)p.Item2, 64) })
            .Where(p => p.Item1 is not null).ToList();
        Assert.Equal(8, names.Count);
        Assert.Equal(names.Count, names.Select(n => n.Item1).Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Matches($"^[A-Za-z0-9_-]{{1,{n.Item2}}}$", n.Item1));
        Assert.Contains(names, n => n.Item1!.Length == 64);
    }
}
