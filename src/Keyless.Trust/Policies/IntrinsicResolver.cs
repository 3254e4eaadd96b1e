using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Policies;

/// <summary>
/// Resolves the CloudFormation intrinsic functions CDK writes into trust policies (Ref, Fn::GetAtt,
/// Fn::Join, Fn::Sub with pseudo parameters and OIDC provider ARNs), so the policy can be evaluated offline.
/// </summary>
internal sealed partial class IntrinsicResolver(string source, string account, IReadOnlyDictionary<string, OidcProvider> providers)
{
    public JsonNode Resolve(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count == 1 && obj.First() is var (name, argument) && (name == "Ref" || name.StartsWith("Fn::", StringComparison.Ordinal)):
                return JsonValue.Create(ResolveFunction(name, argument, $"{path}.{name}"));
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    copy[key] = value is null ? null : Resolve(value, $"{path}.{key}");
                }

                return copy;
            case JsonArray array:
                return new JsonArray([.. array.Select((item, i) => item is null ? null : Resolve(item, $"{path}[{i}]"))]);
            default:
                return node.DeepClone();
        }
    }

    private string ResolveFunction(string name, JsonNode? argument, string path)
    {
        switch (name)
        {
            case "Ref" when argument is JsonValue v && v.GetValueKind() == JsonValueKind.String:
                return Reference(v.GetValue<string>(), path);
            case "Fn::GetAtt" when argument is JsonArray { Count: 2 } pair && pair[1]?.GetValue<string>() == "Arn":
                return Reference(pair[0]!.GetValue<string>(), path);
            case "Fn::Join" when argument is JsonArray { Count: 2 } join && join[1] is JsonArray parts:
                var separator = join[0]?.GetValue<string>() ?? "";
                return string.Join(separator, parts.Select((p, i) => Text(p, $"{path}[1][{i}]")));
            case "Fn::Sub" when argument is JsonValue s && s.GetValueKind() == JsonValueKind.String:
                return SubstitutionPattern().Replace(s.GetValue<string>(), m => Reference(m.Groups[1].Value.Replace(".Arn", "", StringComparison.Ordinal), path));
            default:
                throw KeylessException.AtJson(source, path, $"the intrinsic function {name} in a form Keyless cannot resolve", "Ref, Fn::GetAtt …Arn, Fn::Join or Fn::Sub over pseudo parameters and OIDC providers of the same template (or synthesize the template with concrete values)");
        }
    }

    private string Text(JsonNode? node, string path) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject obj => Resolve(obj, path).GetValue<string>(),
        _ => throw KeylessException.AtJson(source, path, node?.ToJsonString() ?? "null", "a string or an intrinsic function"),
    };

    private string Reference(string target, string path) => target switch
    {
        "AWS::AccountId" => account,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        _ when providers.TryGetValue(target, out var provider) => provider.Arn(account),
        _ => throw KeylessException.AtJson(source, path, $"a reference to \"{target}\"", "a reference to AWS::AccountId, AWS::Partition or an AWS::IAM::OIDCProvider of the same template"),
    };

    [GeneratedRegex(@"\$\{([^}!]+)\}")]
    private static partial Regex SubstitutionPattern();
}
