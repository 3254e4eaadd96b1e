using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keyless.Local.Issuer;

namespace Keyless.Testing;

/// <summary>Builds tokens by hand, including the malformed and malicious ones no library would make.</summary>
public static class Jwt
{
    public const string Issuer = "https://gitlab.example.com";
    public const string Audience = "sts.amazonaws.com";

    /// <summary>The tests' "now": 2030-01-01T00:00:00Z.</summary>
    public const long Now = 1_893_456_000;

    public static Dictionary<string, object?> Claims(long now = Now) => new()
    {
        ["namespace_id"] = "3141",
        ["namespace_path"] = "acme",
        ["project_id"] = "27182818",
        ["project_path"] = "acme/website",
        ["ref"] = "main",
        ["ref_type"] = "branch",
        ["ref_path"] = "refs/heads/main",
        ["ref_protected"] = "true",
        ["runner_id"] = 7,
        ["jti"] = "5c5e6e3e-0a0b-4d8f-9b7a-1f2e3d4c5b6a",
        ["iss"] = Issuer,
        ["iat"] = now,
        ["nbf"] = now - 5,
        ["exp"] = now + 3600,
        ["sub"] = "project_path:acme/website:ref_type:branch:ref:main",
        ["aud"] = Audience,
    };

    public static Dictionary<string, object?> Header(IssuerKey key, string alg = "RS256") => new()
    {
        ["kid"] = key.KeyId,
        ["typ"] = "JWT",
        ["alg"] = alg,
    };

    /// <summary>An RS256 token signed by <paramref name="key"/> with its kid (or <paramref name="header"/>).</summary>
    public static string Sign(IssuerKey key, IDictionary<string, object?> claims, IDictionary<string, object?>? header = null)
    {
        var input = $"{Segment(header ?? Header(key))}.{Segment(claims)}";
        return $"{input}.{Base64Url.EncodeToString(key.SignRs256(Encoding.ASCII.GetBytes(input)))}";
    }

    /// <summary>An HMAC-SHA256 token with <paramref name="secret"/> as the key.</summary>
    public static string SignHs256(byte[] secret, IDictionary<string, object?> header, IDictionary<string, object?> claims)
    {
        var input = $"{Segment(header)}.{Segment(claims)}";
        return $"{input}.{Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)))}";
    }

    public static string Segment(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));

    public static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>The public key's SubjectPublicKeyInfo PEM: what an HS256 key-confusion attack uses as the secret.</summary>
    public static byte[] PublicKeyPem(IssuerKey key)
    {
        var jwk = key.PublicJwk();
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Base64Url.DecodeFromChars(jwk["n"]), Exponent = Base64Url.DecodeFromChars(jwk["e"]) });
        return Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem());
    }

    public static string Jwks(params IssuerKey[] keys) => JsonSerializer.Serialize(new { keys = keys.Select(k => k.PublicJwk()) });
}
