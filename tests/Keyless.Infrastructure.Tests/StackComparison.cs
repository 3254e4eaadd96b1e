using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Keyless.Infrastructure.Tests;

/// <summary>
/// Compares a template the CDK synthesized with the one keyless writes. They may differ only in CDK's hash suffixes
/// on logical IDs, its bootstrap-version check and metadata, and the account-unique names CDK derives from
/// construct paths (cache and headers policy, function, origin access control, origin ID).
/// </summary>
internal static partial class StackComparison
{
    /// <summary>The synthesized template and keyless's declare the same resources, properties and outputs (up to what may differ).</summary>
    public static void AssertSameStack(string name, JsonObject synthesizedTemplate, JsonObject keylessTemplate)
    {
        var keyless = Comparable(keylessTemplate, stripHashes: false);
        var synthesized = Comparable(synthesizedTemplate, stripHashes: true);
        Assert.Equal(Ids(synthesized["Resources"]), Ids(keyless["Resources"]));
        foreach (var (id, resource) in synthesized["Resources"]!.AsObject())
        {
            Assert.True(JsonNode.DeepEquals(resource, keyless["Resources"]![id]), $"{name} {id}:\nCDK:     {resource!.ToJsonString()}\nkeyless: {keyless["Resources"]![id]!.ToJsonString()}");
        }

        Assert.Equal(Ids(synthesized["Outputs"]), Ids(keyless["Outputs"]));
        Assert.True(JsonNode.DeepEquals(synthesized["Outputs"], keyless["Outputs"]), $"{name} outputs:\nCDK:     {synthesized["Outputs"]!.ToJsonString()}\nkeyless: {keyless["Outputs"]!.ToJsonString()}");
        Assert.Equal((string?)synthesized["Description"], (string?)keyless["Description"]);
    }

    /// <summary>A CDK logical ID without its hash suffix: <c>StagingDeployRoleEE2848F8</c> → <c>StagingDeployRole</c>.</summary>
    public static string WithoutHash(string logicalId) => HashSuffix().Replace(logicalId, "");

    private static IEnumerable<string> Ids(JsonNode? section) => section!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal);

    // The template without what may differ: hash suffixes, CDK's bootstrap check and metadata, account-unique names.
    private static JsonObject Comparable(JsonObject template, bool stripHashes)
    {
        template.Remove("Parameters");
        template.Remove("Rules");
        template.Remove("Conditions");
        template.Remove("AWSTemplateFormatVersion");
        var text = template.ToJsonString();
        if (stripHashes)
        {
            foreach (var id in template["Resources"]!.AsObject().Select(r => r.Key).ToList())
            {
                text = text.Replace($"\"{id}\"", $"\"{WithoutHash(id)}\"", StringComparison.Ordinal);
            }
        }

        var result = JsonNode.Parse(text)!.AsObject();
        result["Resources"]!.AsObject().Remove("CDKMetadata");
        foreach (var (_, resource) in result["Resources"]!.AsObject())
        {
            var properties = resource!["Properties"]!.AsObject();
            (properties["CachePolicyConfig"] as JsonObject)?.Remove("Name");
            (properties["ResponseHeadersPolicyConfig"] as JsonObject)?.Remove("Name");
            (properties["OriginAccessControlConfig"] as JsonObject)?.Remove("Name");
            if ((string?)resource["Type"] == "AWS::CloudFront::Function")
            {
                properties.Remove("Name");
            }

            if (properties["DistributionConfig"] is JsonObject distribution)
            {
                distribution["DefaultCacheBehavior"]!.AsObject().Remove("TargetOriginId");
                distribution["Origins"]![0]!.AsObject().Remove("Id");
            }
        }

        return result;
    }

    [GeneratedRegex("[0-9A-F]{8}$")]
    private static partial Regex HashSuffix();
}
