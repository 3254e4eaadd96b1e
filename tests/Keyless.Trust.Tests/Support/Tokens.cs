using System.Text.Json.Nodes;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Tests.Support;

/// <summary>
/// Builds the claims of a GitLab.com CI ID token for project acme/app (id 42) on protected branch main,
/// issued a minute before <see cref="Now"/> and valid for five more minutes; overrides change one claim.
/// </summary>
public sealed class Tokens
{
    public const string Source = "claims.json";
    public const string Audience = "sts.amazonaws.com";

    /// <summary>The fixed clock of every scenario.</summary>
    public static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly JsonObject _claims;

    private Tokens(string issuer)
    {
        _claims = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = Audience,
            ["sub"] = TrustPolicy.DefaultSub,
            ["namespace_id"] = "7",
            ["namespace_path"] = "acme",
            ["project_id"] = "42",
            ["project_path"] = "acme/app",
            ["user_id"] = "1001",
            ["user_login"] = "alice",
            ["user_email"] = "alice@example.com",
            ["user_access_level"] = "maintainer",
            ["pipeline_id"] = "9000",
            ["pipeline_source"] = "push",
            ["job_id"] = "77",
            ["ref"] = "main",
            ["ref_type"] = "branch",
            ["ref_path"] = "refs/heads/main",
            ["ref_protected"] = "true",
            ["runner_environment"] = "gitlab-hosted",
            ["jti"] = "d9c2e1f0-0000-4000-8000-000000000001",
        };
        At(Now);
    }

    public static Tokens GitLabCom() => new("https://gitlab.com");

    public static Tokens FromIssuer(string issuer) => new(issuer);

    /// <summary>Re-issues the token at <paramref name="now"/>: iat and nbf a minute before, exp five minutes after.</summary>
    public Tokens At(DateTimeOffset now)
    {
        _claims["iat"] = now.ToUnixTimeSeconds() - 60;
        _claims["nbf"] = now.ToUnixTimeSeconds() - 60;
        _claims["exp"] = now.ToUnixTimeSeconds() + 300;
        return this;
    }

    public Tokens Issuer(string issuer) => With("iss", issuer);

    /// <summary>Sets exp relative to <see cref="Now"/> (negative: already expired).</summary>
    public Tokens ExpiresIn(TimeSpan fromNow) => With("exp", Now.Add(fromNow).ToUnixTimeSeconds());

    /// <summary>Sets nbf relative to <see cref="Now"/> (positive: not valid yet).</summary>
    public Tokens NotBefore(TimeSpan fromNow) => With("nbf", Now.Add(fromNow).ToUnixTimeSeconds());

    public Tokens With(string claim, JsonNode? value)
    {
        _claims[claim] = value;
        return this;
    }

    /// <summary>Sets the claim to a JSON list of strings (amr, or aud for several audiences).</summary>
    public Tokens WithList(string claim, params string[] values) => With(claim, new JsonArray([.. values.Select(v => JsonValue.Create(v))]));

    public Tokens Without(string claim)
    {
        _claims.Remove(claim);
        return this;
    }

    public string ToJson() => _claims.ToJsonString();

    public TokenClaims Build() => TokenClaims.Parse(Source, ToJson());
}
