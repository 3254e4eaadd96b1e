using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keyless.Core;

/// <summary>JSON values as text: a string node's value, and how an error message names a value it did not expect.</summary>
public static class JsonText
{
    /// <summary>The node's string; null when it is not a string.</summary>
    public static string? Of(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        _ => "null",
    };
}
