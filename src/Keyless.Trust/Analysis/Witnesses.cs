using System.Text.Json.Nodes;
using Keyless.Trust.Automata;

namespace Keyless.Trust.Analysis;

/// <summary>
/// Builds concrete GitLab-shaped claim sets from a box of admitted tokens. Values are chosen from
/// readable candidates when the language holds one (an attacker's namespace, a feature branch), else the
/// shortest member; every value is checked against the language, so the claims are always admitted.
/// </summary>
internal static class Witnesses
{
    private static readonly string[] ProjectCandidates = ["attacker/project", "someone-else/project"];
    private static readonly string[] RefCandidates = ["feature/evil", "evil", "v9.9.9-evil", "v1.0.0", "main"];
    private static readonly string[] NumberCandidates = ["4242", "1001", "1"];

    /// <summary>Texts the alphabet must distinguish so the candidates can be written.</summary>
    public static IEnumerable<string> Texts => [.. ProjectCandidates, .. RefCandidates, .. NumberCandidates, "-evil", "evil-subgroup", "other-project", "project_path:", ":ref_type:", ":ref:", "branch", "tag", "true", "false", "push"];

    /// <summary>Readable project paths near the ones a policy names: its own, a look-alike namespace, a subgroup.</summary>
    public static IEnumerable<string> ProjectsNear(IEnumerable<string> literalProjects)
    {
        foreach (var project in literalProjects)
        {
            // A hint is a project path ("group/project") or the namespace part of a wildcard ("group").
            var namespacePath = project.Contains('/', StringComparison.Ordinal) ? project[..project.LastIndexOf('/')] : project;
            var top = project.Split('/')[0];
            yield return $"{top}-evil/project";
            yield return $"{namespacePath}/other-project";
            yield return $"{namespacePath}/evil-subgroup/project";
            yield return project;
        }

        foreach (var candidate in ProjectCandidates)
        {
            yield return candidate;
        }
    }

    public static string Pick(Dfa language, IEnumerable<string> preferred) =>
        preferred.FirstOrDefault(language.Accepts) ?? language.ShortestMember()
        ?? throw new InvalidOperationException("Pick needs a non-empty language.");

    /// <summary>A token of the box; its sub from <paramref name="triple"/> (a part of the box's sub) when given.</summary>
    public static JsonObject Build(ClaimBox box, SubjectTriple? triple, IEnumerable<string> projectHints, IEnumerable<string> refHints, DateTimeOffset now)
    {
        var space = box.Space;
        triple ??= SubjectTriple.Decompose(box.Get("sub"))[0];
        var project = Pick(triple.Projects, ProjectsNear(projectHints));
        var gitRef = Pick(triple.Refs, RefCandidates.Concat(refHints));
        var sub = SubjectTriple.Compose(project, triple.RefType, gitRef);
        var issuedAt = now.ToUnixTimeSeconds();
        var namespacePath = project[..project.LastIndexOf('/')];

        var claims = new JsonObject
        {
            ["iss"] = space.Provider.Url,
            ["aud"] = Pick(box.Get("aud"), space.Provider.ClientIds.Append(space.Provider.Url)),
            ["sub"] = sub,
            ["namespace_id"] = Pick(box.Get("namespace_id"), NumberCandidates),
            ["namespace_path"] = namespacePath,
            ["project_id"] = Pick(box.Get("project_id"), NumberCandidates),
            ["project_path"] = project,
            ["user_id"] = Pick(box.Get("user_id"), NumberCandidates),
            ["user_login"] = Pick(box.Get("user_login"), ["someone"]),
            ["user_email"] = Pick(box.Get("user_email"), ["someone@example.com"]),
            ["user_access_level"] = Pick(box.Get("user_access_level"), ["developer"]),
            ["pipeline_id"] = "1001",
            ["pipeline_source"] = Pick(box.Get("pipeline_source"), ["push"]),
            ["job_id"] = "2002",
            ["ref"] = gitRef,
            ["ref_type"] = triple.RefType,
            ["ref_path"] = (triple.RefType == "tag" ? "refs/tags/" : "refs/heads/") + gitRef,
            ["ref_protected"] = Pick(box.Get("ref_protected"), ["false", "true"]),
            ["runner_id"] = 1,
            ["runner_environment"] = Pick(box.Get("runner_environment"), ["self-hosted", "gitlab-hosted"]),
            ["sha"] = "0000000000000000000000000000000000000000",
            ["jti"] = "keyless-witness",
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt - 5,
            ["exp"] = issuedAt + 300,
        };

        // Claims constrained in the box that the shape above does not carry (e.g. email on other issuers).
        foreach (var claim in box.Claims.Where(c => !claims.ContainsKey(c)))
        {
            claims[claim] = Pick(box.Get(claim), []);
        }

        return claims;
    }
}
