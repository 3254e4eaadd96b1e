using System.Text.Json;
using Keyless.Core;

namespace Keyless.Trust.Evaluation;

/// <summary>The decoded payload of an ID token: a JSON object of claims.</summary>
public sealed class TokenClaims
{
    private readonly JsonElement _root;

    private TokenClaims(JsonElement root) => _root = root;

    public JsonElement Root => _root;

    public static TokenClaims Parse(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromElement(source, document.RootElement);
        }
        catch (JsonException e)
        {
            throw KeylessException.Input($"{source}: not valid JSON (line {e.LineNumber + 1}): expected the token's claims as a JSON object, such as {{\"iss\": \"https://gitlab.com\", \"sub\": \"project_path:group/project:ref_type:branch:ref:main\", …}}.");
        }
    }

    public static TokenClaims FromElement(string source, JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
            ? new TokenClaims(element.Clone())
            : throw KeylessException.AtJson(source, "$", JsonText.Describe(element), "a JSON object of claims (the decoded token payload)");

    public bool Has(string claim) => _root.TryGetProperty(claim, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The claim as the strings IAM would see: one for a scalar, several for an array, none when absent or null.</summary>
    public IReadOnlyList<string>? Values(string claim)
    {
        if (!_root.TryGetProperty(claim, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Array => value.EnumerateArray().Select(Text).OfType<string>().ToList(),
            _ => Text(value) is { } text ? [text] : null,
        };
    }

    public string? Single(string claim) => Values(claim) is [var single] ? single : null;

    public long? Seconds(string claim) =>
        _root.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? seconds
            : null;

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
