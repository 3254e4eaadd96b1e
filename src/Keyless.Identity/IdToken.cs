using System.Buffers.Text;
using System.Text.Json;
using Keyless.Core;
using Keyless.Trust.Evaluation;

namespace Keyless.Identity;

/// <summary>The JOSE header fields that matter for verification: the algorithm, the key id and the type.</summary>
public sealed record IdTokenHeader(string? Algorithm, string? KeyId, string? Type);

/// <summary>
/// A compact JWS (<c>header.payload.signature</c>) taken apart without checking anything. Decoding is for
/// looking; <see cref="IdTokenVerifier"/> decides whether the token is any good.
/// Error messages describe the token's shape and never repeat its text: the token is a credential.
/// </summary>
public sealed class IdToken
{
    private IdToken(IdTokenHeader header, TokenClaims claims, int length)
    {
        Header = header;
        Claims = claims;
        Length = length;
    }

    public IdTokenHeader Header { get; }

    public TokenClaims Claims { get; }

    /// <summary>The token's length in characters (AWS refuses tokens longer than 20,000).</summary>
    public int Length { get; }

    /// <summary>The <c>sub</c> claim split into GitLab's components; null when there is no sub or it is not GitLab-shaped.</summary>
    public GitLabSubject? Subject => Claims.Single("sub") is { } sub ? GitLabSubject.Parse(sub) : null;

    /// <summary>Decodes header and payload. Throws <see cref="KeylessException"/> (<see cref="FailureKind.UnusableInput"/>) when the text is not a JWT.</summary>
    public static IdToken Decode(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (string.IsNullOrWhiteSpace(token))
        {
            throw Malformed("it is empty");
        }

        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw Malformed(parts.Length == 5
                ? "it has 5 dot-separated parts, the shape of an encrypted token (JWE); GitLab ID tokens are signed JWTs with 3 parts (header.payload.signature)"
                : $"it has {parts.Length} dot-separated part{(parts.Length == 1 ? "" : "s")}; a JWT has 3 (header.payload.signature)");
        }

        using var header = ParseObject(parts[0], "header");
        var root = header.RootElement;
        var decodedHeader = new IdTokenHeader(HeaderField(root, "alg"), HeaderField(root, "kid"), HeaderField(root, "typ"));

        using var payload = ParseObject(parts[1], "payload");
        var claims = TokenClaims.FromElement("ID token payload", payload.RootElement);

        if (parts[2].Length > 0 && !Base64Url.IsValid(parts[2]))
        {
            throw Malformed("its signature (third part) is not valid base64url");
        }

        return new IdToken(decodedHeader, claims, token.Length);
    }

    /// <summary>Like <see cref="Decode"/>, but returns null instead of throwing.</summary>
    public static IdToken? TryDecode(string token, out string? problem)
    {
        try
        {
            problem = null;
            return Decode(token);
        }
        catch (KeylessException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private static JsonDocument ParseObject(string segment, string name)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            throw Malformed($"its {name} is not valid base64url");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            // The exception text can quote decoded bytes; the position is enough.
            throw Malformed($"its {name} is not valid JSON (byte {e.BytePositionInLine ?? 0} of the decoded {name})");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind.ToString().ToLowerInvariant();
            document.Dispose();
            throw Malformed($"its {name} is a JSON {kind}, not an object");
        }

        return document;
    }

    private static string? HeaderField(JsonElement header, string name)
    {
        if (!header.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Malformed($"its header field \"{name}\" is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, not a string");
    }

    private static KeylessException Malformed(string problem) =>
        new(FailureKind.UnusableInput, $"The ID token is not a well-formed JWT: {problem}.");
}
