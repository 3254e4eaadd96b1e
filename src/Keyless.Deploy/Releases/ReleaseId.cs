using System.Globalization;
using System.Text.RegularExpressions;
using Keyless.Core;

namespace Keyless.Deploy.Releases;

/// <summary>Release ids: <c>--release</c>, else <c>$CI_COMMIT_SHA</c>, else the UTC time (<c>20261126T164200Z</c>).</summary>
public static partial class ReleaseId
{
    public const string CommitVariable = "CI_COMMIT_SHA";

    public static string Choose(string? explicitId, IEnvironment environment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (explicitId is not null)
        {
            return Check(explicitId, "--release");
        }

        return environment.Variable(CommitVariable) is { Length: > 0 } sha
            ? Check(sha.Trim(), $"${CommitVariable}")
            : now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    }

    public static bool IsValid(string id) => Pattern().IsMatch(id);

    public static string Check(string id, string source) =>
        IsValid(id)
            ? id
            : throw KeylessException.Input($"{source} \"{id}\": a release id is 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the record .keyless/releases/ID.json), such as a commit SHA or v1.4.0.");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex Pattern();
}
