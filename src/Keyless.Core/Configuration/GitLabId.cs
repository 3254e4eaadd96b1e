using System.Globalization;

namespace Keyless.Core.Configuration;

/// <summary>
/// A numeric ID of a GitLab project or namespace (--project-id, gitlab.projectId and the like): one rule for every
/// command and for keyless.json.
/// </summary>
public static class GitLabId
{
    /// <summary>What a valid ID is, for messages that name the option or field and the value.</summary>
    public const string Expected = "a positive whole number in digits, without sign or leading zero, as GitLab shows it";

    /// <summary>
    /// Whether the value is an ID as GitLab writes it into ID tokens (project_id, namespace_id): the roles compare
    /// that text, so 042 would admit nobody. GitLab's IDs are 64-bit integers, hence at most <see cref="long.MaxValue"/>.
    /// </summary>
    public static bool IsValid(string? value) =>
        value is [>= '1' and <= '9', ..] && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
