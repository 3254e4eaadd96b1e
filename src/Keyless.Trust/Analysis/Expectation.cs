using System.Text.Json;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Trust.Automata;

namespace Keyless.Trust.Analysis;

/// <summary>Which GitLab project and refs one role is meant for.</summary>
public sealed record RoleExpectation(
    string Project,
    IReadOnlyList<ExpectedRef> Refs,
    string? ProjectId = null,
    string? NamespaceId = null,
    string? Audience = null,
    bool ProtectedOnly = false)
{
    /// <summary>What the role of a keyless.json environment must admit, exactly.</summary>
    public static RoleExpectation For(KeylessConfig config, EnvironmentSettings environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var gitlab = config.GitLab;
        return new(
            gitlab.Project,
            environment.Refs,
            gitlab.IsGitLabCom ? gitlab.ProjectId : null,
            gitlab.IsGitLabCom ? gitlab.NamespaceId : null,
            gitlab.Audience,
            gitlab.IsGitLabCom && environment.ProtectedOnly);
    }
}

/// <summary>
/// The <c>--expect</c> file: per role (by logical ID or name) the project and refs it is meant for.
/// <code>{ "roles": { "StagingDeployRole": { "project": "acme/site", "projectId": "42", "refs": ["branch:main"] } } }</code>
/// </summary>
public sealed record Expectations(string Source, IReadOnlyDictionary<string, RoleExpectation> Roles)
{
    public static Expectations Parse(string source, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw KeylessException.Input($"{source}: not valid JSON (line {e.LineNumber + 1}). Expected {{\"roles\": {{\"ROLE\": {{\"project\": \"group/project\", \"refs\": [\"branch:main\"]}}}}}}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("roles", out var roles) || roles.ValueKind != JsonValueKind.Object)
            {
                throw KeylessException.AtJson(source, "$.roles", "nothing usable", "an object mapping each role's logical ID or name to its expectation");
            }

            var result = new Dictionary<string, RoleExpectation>(StringComparer.Ordinal);
            foreach (var role in roles.EnumerateObject())
            {
                result[role.Name] = ParseRole(source, $"$.roles.{role.Name}", role.Value);
            }

            return new Expectations(source, result);
        }
    }

    private static RoleExpectation ParseRole(string source, string path, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw KeylessException.AtJson(source, path, JsonText.Describe(element), "an object with \"project\" and \"refs\"");
        }

        string? Text(string name, bool required)
        {
            if (!element.TryGetProperty(name, out var value))
            {
                return required ? throw KeylessException.AtJson(source, $"{path}.{name}", "nothing", $"the {name} as a string") : null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => throw KeylessException.AtJson(source, $"{path}.{name}", JsonText.Describe(value), "a string"),
            };
        }

        var project = Text("project", required: true)!;
        if (!project.Contains('/', StringComparison.Ordinal) || project.Contains(':', StringComparison.Ordinal) || project.Contains('*', StringComparison.Ordinal))
        {
            throw KeylessException.AtJson(source, $"{path}.project", $"\"{project}\"", "the full project path, such as \"group/project\" or \"group/subgroup/project\", without wildcards");
        }

        if (!element.TryGetProperty("refs", out var refsElement) || refsElement.ValueKind != JsonValueKind.Array || refsElement.GetArrayLength() == 0)
        {
            throw KeylessException.AtJson(source, $"{path}.refs", "no list of refs", "a list such as [\"branch:main\", \"tag:v*\"]");
        }

        var refs = refsElement.EnumerateArray().Select((r, i) =>
        {
            var text = r.ValueKind == JsonValueKind.String ? r.GetString()! : "";
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var type = colon > 0 ? text[..colon] : "";
            return type is "branch" or "tag" && colon < text.Length - 1
                ? new ExpectedRef(type, text[(colon + 1)..])
                : throw KeylessException.AtJson(source, $"{path}.refs[{i}]", r.ValueKind == JsonValueKind.String ? $"\"{text}\"" : JsonText.Describe(r), "\"branch:NAME\" or \"tag:PATTERN\" (* is a wildcard)");
        }).ToList();

        var protectedOnly = element.TryGetProperty("protected", out var p) && p.ValueKind == JsonValueKind.True;
        return new RoleExpectation(project, refs, Text("projectId", false), Text("namespaceId", false), Text("audience", false), protectedOnly);
    }
}

internal static class ExpectationSets
{
    /// <summary>The tokens an expectation names, and the claims it speaks about.</summary>
    public static (TokenSet Tokens, IReadOnlySet<string> Claims) Build(RoleExpectation expectation, ClaimSpace space)
    {
        var alphabet = space.Alphabet;
        var claims = new HashSet<string>(StringComparer.Ordinal) { "sub" };
        var boxes = new List<ClaimBox>();
        foreach (var expected in expectation.Refs)
        {
            var tokens = new List<GlobToken> { GlobToken.Literal($"project_path:{expectation.Project}:ref_type:{expected.Type}:ref:") };
            tokens.AddRange(GlobToken.Parse(expected.Pattern));
            var box = new ClaimBox(space).With("sub", Dfa.Glob(alphabet, tokens));
            box = Pin(box, "aud", expectation.Audience, claims);
            if (space.IsPresent("project_id"))
            {
                box = Pin(box, "project_id", expectation.ProjectId, claims);
                box = Pin(box, "namespace_id", expectation.NamespaceId, claims);
                box = Pin(box, "ref_protected", expectation.ProtectedOnly ? "true" : null, claims);
            }

            boxes.Add(box);
        }

        return (new TokenSet(boxes), claims);
    }

    private static ClaimBox Pin(ClaimBox box, string claim, string? value, HashSet<string> claims)
    {
        if (value is null)
        {
            return box;
        }

        claims.Add(claim);
        return box.With(claim, Dfa.Literal(box.Space.Alphabet, value));
    }
}
