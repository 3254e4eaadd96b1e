using System.Text;
using Keyless.Core.Configuration;

namespace Keyless.Core.Scaffolding;

/// <summary>
/// The <c>rules: if:</c> expression that runs a job for exactly the refs a keyless.json ref admits: the branch or tag
/// by name, or for a pattern (<c>*</c>: any characters, <c>/</c> included, as in the role's StringLike) a regular
/// expression anchored at both ends. https://docs.gitlab.com/ci/jobs/job_rules/
/// </summary>
public static class PipelineRules
{
    public static string If(ExpectedRef expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var variable = expected.Type == "branch" ? "$CI_COMMIT_BRANCH" : "$CI_COMMIT_TAG";
        var name = expected.Pattern;
        return name.Contains('*', StringComparison.Ordinal) || (name.Contains('"', StringComparison.Ordinal) && name.Contains('\'', StringComparison.Ordinal))
            ? $"{variable} =~ /^{Regex(name)}$/"
            : name.Contains('"', StringComparison.Ordinal) ? $"{variable} == '{name}'" : $"{variable} == \"{name}\"";
    }

    // RE2, as GitLab evaluates =~: * is any characters; every other metacharacter, and the delimiter /, escaped.
    private static string Regex(string pattern)
    {
        var text = new StringBuilder();
        foreach (var c in pattern)
        {
            if (c == '*')
            {
                text.Append(".*");
            }
            else
            {
                if (@"\.+?()|[]{}^$/".Contains(c, StringComparison.Ordinal))
                {
                    text.Append('\\');
                }

                text.Append(c);
            }
        }

        return text.ToString();
    }
}
