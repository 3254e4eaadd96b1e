
namespace Keyless.Identity;

/// <summary>
/// A GitLab <c>sub</c> claim taken apart. GitLab renders each configured component as <c>claim:value</c> and
/// joins them with <c>:</c> (default components: project_path, ref_type, ref). Neither project paths nor git
/// refs can contain <c>:</c>, so the split is unambiguous.
/// Source: https://docs.gitlab.com/ci/secrets/id_token_authentication/ (ci_id_token_sub_claim_components).
/// </summary>
public sealed record GitLabSubject(IReadOnlyList<KeyValuePair<string, string>> Components)
{
    /// <summary>Claims GitLab allows as sub components (default three, then those added in 18.x).</summary>
    public static readonly IReadOnlySet<string> KnownComponents = new HashSet<string>(StringComparer.Ordinal)
    {
        "project_path", "ref_type", "ref", "ref_protected", "environment_protected", "deployment_tier",
        "job_project_path", "job_project_id", "source_project_path", "source_project_id",
    };

    public string? ProjectPath => Get("project_path");

    public string? RefType => Get("ref_type");

    public string? Ref => Get("ref");

    /// <summary>True when the components are GitLab's default ones in the default order.</summary>
    public bool IsDefaultShape => Components.Count == 3
        && Components[0].Key == "project_path" && Components[1].Key == "ref_type" && Components[2].Key == "ref";

    public string? Get(string component)
    {
        foreach (var (key, value) in Components)
        {
            if (key == component)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The default sub: <c>project_path:{path}:ref_type:{branch|tag}:ref:{ref}</c>.</summary>
    public static string Compose(string projectPath, string refType, string gitRef) =>
        $"project_path:{projectPath}:ref_type:{refType}:ref:{gitRef}";

    /// <summary>Splits a sub into its components; null when it is not made of known <c>claim:value</c> pairs.</summary>
    public static GitLabSubject? Parse(string sub)
    {
        ArgumentNullException.ThrowIfNull(sub);
        var parts = sub.Split(':');
        if (parts.Length < 2 || parts.Length % 2 != 0)
        {
            return null;
        }

        var components = new List<KeyValuePair<string, string>>();
        for (var i = 0; i < parts.Length; i += 2)
        {
            if (!KnownComponents.Contains(parts[i]) || parts[i + 1].Length == 0 || components.Any(c => c.Key == parts[i]))
            {
                return null;
            }

            components.Add(new(parts[i], parts[i + 1]));
        }

        return new GitLabSubject(components);
    }

    public override string ToString() => string.Join(':', Components.Select(c => $"{c.Key}:{c.Value}"));
}
