using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keyless.Core;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Policies;

/// <summary>
/// Resolves the CloudFormation intrinsic functions CDK writes into trust policies (Ref, Fn::GetAtt,
/// Fn::Join, Fn::Sub with pseudo parameters, template parameters and OIDC provider ARNs), so the policy can
/// be evaluated offline.
/// </summary>
/// <param name="source">The file, for error messages.</param>
/// <param name="account">The account of ARNs the template builds.</param>
/// <param name="providers">The template's OIDC providers by logical ID.</param>
/// <param name="attribute">
/// Physical values of other resources (logical ID, attribute or "Ref") when they are known, as when a
/// template is applied to the local cloud; null when unknown.
/// </param>
/// <param name="parameters">The template's parameters with the values used for them.</param>
public sealed partial class IntrinsicResolver(
    string source,
    string account,
    IReadOnlyDictionary<string, OidcProvider> providers,
    Func<string, string, string?>? attribute = null,
    IReadOnlyDictionary<string, TemplateParameter>? parameters = null)
{
    private readonly List<TemplateParameter> _used = [];

    /// <summary>The template parameters the resolutions so far have read, in order of first use.</summary>
    public IReadOnlyList<TemplateParameter> UsedParameters => _used;

    public void ForgetUsedParameters() => _used.Clear();

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
            case "Ref" when JsonText.Of(argument) is { } target:
                return Reference(target, path);
            case "Fn::GetAtt" when argument is JsonArray { Count: 2 } pair && JsonText.Of(pair[0]) is { } target && JsonText.Of(pair[1]) is { } attributeName:
                return GetAtt(target, attributeName, path);
            case "Fn::GetAtt" when JsonText.Of(argument) is { } dotted && dotted.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot:
                return GetAtt(dotted[..dot], dotted[(dot + 1)..], path);
            case "Fn::Join" when argument is JsonArray { Count: 2 } join && JsonText.Of(join[0]) is { } separator && join[1] is JsonArray parts:
                return string.Join(separator, parts.Select((p, i) => Text(p, $"{path}[1][{i}]")));
            case "Fn::Sub" when JsonText.Of(argument) is { } template:
                return Substitute(template, new Dictionary<string, string>(StringComparer.Ordinal), path);
            case "Fn::Sub" when argument is JsonArray { Count: 2 } sub && JsonText.Of(sub[0]) is { } template && sub[1] is JsonObject variables:
                return Substitute(template, variables.ToDictionary(v => v.Key, v => Text(v.Value, $"{path}[1].{v.Key}"), StringComparer.Ordinal), path);
            default:
                throw KeylessException.AtJson(source, path, $"the intrinsic function {name} in a form Keyless cannot resolve", "Ref, Fn::GetAtt …Arn, Fn::Join or Fn::Sub over pseudo parameters, template parameters and OIDC providers of the same template (or synthesize the template with concrete values)");
        }
    }

    private string GetAtt(string target, string attributeName, string path) =>
        attribute?.Invoke(target, attributeName) ?? (attributeName == "Arn" ? Reference(target, path) : Unknown(attributeName, target, path));

    // ${Name} and ${Resource.Attribute}; ${!Literal} stays "${Literal}".
    private string Substitute(string template, Dictionary<string, string> variables, string path) =>
        SubstitutionPattern().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            if (name.StartsWith('!'))
            {
                return "${" + name[1..] + "}";
            }

            if (variables.TryGetValue(name, out var value))
            {
                return value;
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            return dot > 0 && !name.StartsWith("AWS::", StringComparison.Ordinal) ? GetAtt(name[..dot], name[(dot + 1)..], path) : Reference(name, path);
        });

    private string Text(JsonNode? node, string path) => node switch
    {
        JsonValue when JsonText.Of(node) is { } text => text,
        JsonObject obj => JsonText.Of(Resolve(obj, path)) ?? throw KeylessException.AtJson(source, path, obj.ToJsonString(), "an intrinsic function that yields a string"),
        _ => throw KeylessException.AtJson(source, path, node?.ToJsonString() ?? "null", "a string or an intrinsic function"),
    };

    private string Reference(string target, string path) => target switch
    {
        "AWS::AccountId" => account,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        _ when providers.TryGetValue(target, out var provider) => provider.Arn(account),
        _ when parameters?.GetValueOrDefault(target) is { } parameter => Use(parameter),
        _ when attribute?.Invoke(target, "Ref") is { } value => value,
        _ => throw KeylessException.AtJson(source, path, $"a reference to \"{target}\"", "a reference to AWS::AccountId, AWS::Partition, a template parameter with a Default (or given with --parameter NAME=VALUE) or an OIDC provider of the same template"),
    };

    private string Use(TemplateParameter parameter)
    {
        if (!_used.Contains(parameter))
        {
            _used.Add(parameter);
        }

        return parameter.Value;
    }

    private string Unknown(string name, string target, string path) =>
        throw KeylessException.AtJson(source, path, $"Fn::GetAtt {target}.{name}", "an attribute Keyless knows the value of (the Arn of an OIDC provider of the same template)");

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubstitutionPattern();
}
