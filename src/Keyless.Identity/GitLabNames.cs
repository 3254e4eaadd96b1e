namespace Keyless.Identity;

/// <summary>
/// GitLab's rules for the names that go into an ID token's sub: project paths and git refs. Each check
/// returns what is wrong, or null when the name is acceptable.
/// Sources: https://docs.gitlab.com/ee/user/reserved_names.html (path characters; a path may start with
/// a letter, digit, <c>_</c> or <c>.</c>, and never ends in <c>.git</c>/<c>.atom</c>),
/// https://git-scm.com/docs/git-check-ref-format (refs).
/// </summary>
public static class GitLabNames
{
    private const string RefForbiddenChars = " ~^:?*[\\";

    /// <summary>What is wrong with a full project path (<c>group[/subgroup…]/project</c>); null when valid.</summary>
    public static string? ProjectPathProblem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        if (segments.Length < 2)
        {
            return $"\"{path}\" is not a project path: expected GROUP/PROJECT (subgroups allowed: GROUP/SUBGROUP/PROJECT)";
        }

        foreach (var segment in segments)
        {
            if (SegmentProblem(segment) is { } problem)
            {
                return $"\"{path}\" is not a project path: {problem}";
            }
        }

        return null;
    }

    /// <summary>What is wrong with a branch or tag name (as in <c>ref</c>, without <c>refs/heads/</c>); null when valid.</summary>
    public static string? RefProblem(string gitRef)
    {
        ArgumentNullException.ThrowIfNull(gitRef);
        string? Problem()
        {
            if (gitRef.Length == 0)
            {
                return "it is empty";
            }

            if (gitRef == "@")
            {
                return "git does not allow the name \"@\"";
            }

            foreach (var c in gitRef)
            {
                if (c < ' ' || c == '\u007f')
                {
                    return "it contains a control character";
                }

                if (RefForbiddenChars.Contains(c, StringComparison.Ordinal))
                {
                    return $"it contains '{c}', which git does not allow in a ref (none of space ~ ^ : ? * [ \\)";
                }
            }

            if (gitRef.Contains("..", StringComparison.Ordinal) || gitRef.Contains("@{", StringComparison.Ordinal) || gitRef.Contains("//", StringComparison.Ordinal))
            {
                return "it contains \"..\", \"@{\" or \"//\", which git does not allow";
            }

            if (gitRef.StartsWith('/') || gitRef.EndsWith('/') || gitRef.EndsWith('.'))
            {
                return "it starts or ends with '/' or ends with '.'";
            }

            // Git keeps refs as files: a component is a file name, at most 255 bytes on the usual file systems.
            return gitRef.Split('/').Any(c => c.StartsWith('.') || c.EndsWith(".lock", StringComparison.Ordinal))
                ? "a component starts with '.' or ends with \".lock\""
                : gitRef.Split('/').Any(c => System.Text.Encoding.UTF8.GetByteCount(c) > 255)
                    ? "a component between slashes is longer than 255 bytes, more than git can store"
                    : null;
        }

        return Problem() is { } problem ? $"\"{gitRef}\" is not a valid git ref name: {problem}" : null;
    }

    /// <summary>The namespace part of a project path: everything before the last <c>/</c>.</summary>
    public static string NamespaceOf(string projectPath) => projectPath[..projectPath.LastIndexOf('/')];

    private static string? SegmentProblem(string segment)
    {
        if (segment.Length == 0)
        {
            return "a segment is empty (check for a leading, trailing or doubled '/')";
        }

        foreach (var c in segment)
        {
            if (!IsPathChar(c))
            {
                return char.IsControl(c)
                    ? "it contains a control character (paths use letters, digits, '_', '.' and '-')"
                    : $"'{c}' is not allowed (paths use letters, digits, '_', '.' and '-')";
            }
        }

        if (segment[0] == '-')
        {
            return $"the segment \"{segment}\" starts with '-' (it must start with a letter, a digit, '_' or '.')";
        }

        return segment.EndsWith(".git", StringComparison.Ordinal) || segment.EndsWith(".atom", StringComparison.Ordinal)
            ? $"the segment \"{segment}\" ends in .git or .atom, which GitLab reserves"
            : null;
    }

    private static bool IsPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
