using Keyless.Testing;


namespace Keyless.Identity.Tests.Exchange;

/// <summary>GitLab.com-shaped job tokens with the pipeline and job claims, signed by the tests' RSA key.</summary>
internal static class JobTokens
{
    public const string Issuer = "https://gitlab.com";
    public const string Audience = "https://gitlab.com";
    public const string ProjectId = "27182818";
    public const string PipelineId = "1414213562";
    public const string JobId = "1732050807";

    public static Dictionary<string, object?> Claims(string branch = "main", long now = Jwt.Now)
    {
        var claims = Jwt.Claims(now);
        claims["iss"] = Issuer;
        claims["aud"] = Audience;
        claims["project_id"] = ProjectId;
        claims["pipeline_id"] = PipelineId;
        claims["job_id"] = JobId;
        claims["ref"] = branch;
        claims["ref_path"] = "refs/heads/" + branch;
        claims["ref_protected"] = branch == "main" ? "true" : "false";
        claims["sub"] = $"project_path:acme/website:ref_type:branch:ref:{branch}";
        return claims;
    }

    public static string Sign(string branch = "main", long now = Jwt.Now) => Jwt.Sign(Keys.Issuer, Claims(branch, now));

    public static string Sign(Dictionary<string, object?> claims) => Jwt.Sign(Keys.Issuer, claims);
}
