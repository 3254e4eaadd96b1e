using System.Text.Json.Nodes;

namespace Keyless.Stack;

/// <summary>The CloudFormation intrinsic functions the template uses, written as CDK writes them.</summary>
internal static class Cfn
{
    public static JsonObject Ref(string logicalId) => new() { ["Ref"] = logicalId };

    public static JsonObject GetAtt(string logicalId, string attribute) => new() { ["Fn::GetAtt"] = new JsonArray(logicalId, attribute) };

    /// <summary><c>Fn::Join</c> with no separator; parts are strings or intrinsic functions.</summary>
    public static JsonObject Join(params JsonNode[] parts) => new() { ["Fn::Join"] = new JsonArray("", new JsonArray(parts)) };
}
