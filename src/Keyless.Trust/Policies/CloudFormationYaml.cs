using System.Text.Json.Nodes;
using Keyless.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keyless.Trust.Policies;

/// <summary>
/// Reads a CloudFormation template written in YAML into the same JSON shape as a JSON template, turning
/// the short-form tags (<c>!Ref</c>, <c>!GetAtt A.Arn</c>, <c>!Sub</c>, <c>!Join</c>, …) into their full
/// form (<c>{"Ref": …}</c>, <c>{"Fn::GetAtt": [A, Arn]}</c>, <c>{"Fn::Sub": …}</c>). Scalars stay text:
/// IAM compares condition values as strings, and the other readers accept numbers written as text.
/// Source: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
/// </summary>
public static class CloudFormationYaml
{
    public static JsonNode? Parse(string source, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw KeylessException.Input($"{source}: not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}. Expected a CloudFormation template (JSON or YAML), a trust policy or `aws iam get-role`/`list-roles` output.");
        }

        try
        {
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
        }
        catch (FormatException e)
        {
            throw KeylessException.Input($"{source}: {e.Message}.");
        }
        catch (ArgumentException e)
        {
            // JsonObject refuses a key twice; YAML mappings must not repeat one either.
            throw KeylessException.Input($"{source}: a YAML mapping repeats a key ({e.Message}). Each key may appear once.");
        }
    }

    private static JsonNode? Convert(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is not null && tag.StartsWith('!') && !tag.StartsWith("!!", StringComparison.Ordinal))
        {
            return ShortForm(tag[1..], node);
        }

        return Plain(node);
    }

    private static JsonNode? Plain(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(Key(pair.Key), Convert(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => null,
    };

    private static string Key(YamlNode key) => key is YamlScalarNode { Value: { } text }
        ? text
        : throw new FormatException($"the mapping key at line {key.Start.Line} is not plain text; expected a name such as Resources or AssumeRolePolicyDocument");

    private static JsonObject ShortForm(string name, YamlNode node)
    {
        var argument = Plain(node);
        return name switch
        {
            "Ref" or "Condition" => new JsonObject { [name] = argument },
            "GetAtt" when argument is JsonValue value && value.GetValue<string>() is var text && text.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot =>
                new JsonObject { ["Fn::GetAtt"] = new JsonArray(text[..dot], text[(dot + 1)..]) },
            _ => new JsonObject { ["Fn::" + name] = argument },
        };
    }
}
