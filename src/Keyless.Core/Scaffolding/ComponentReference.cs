using System.Text.RegularExpressions;

namespace Keyless.Core.Scaffolding;

/// <summary>
/// A CI/CD component reference, <c>HOST/GROUP/PROJECT/NAME@VERSION</c> (https://docs.gitlab.com/ci/components/):
/// the project that publishes keyless, whose package registry also has the keyless .NET tool of that version.
/// </summary>
public sealed partial record ComponentReference(string Path, string Project, string? Version)
{
    /// <summary>The reference, or null when <paramref name="value"/> is not one.</summary>
    public static ComponentReference? TryParse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = Pattern().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var version = match.Groups["version"].Value;
        return new ComponentReference(match.Groups["path"].Value, match.Groups["project"].Value, SemanticVersion().IsMatch(version) ? version : null);
    }

    /// <summary>The instance the reference names: a host, or a variable such as <c>$CI_SERVER_FQDN</c> for the
    /// instance of the project that includes it.</summary>
    public string Host => Path[..Path.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>
    /// The NuGet feed of the publishing project's package registry, GitLab's project endpoint
    /// (https://docs.gitlab.com/user/packages/nuget_repository/), where the keyless tool and Keyless.Cdk of each
    /// release are. <paramref name="ownApi"/> is the API URL of the including project's instance, for a reference
    /// whose host is a variable.
    /// </summary>
    public string NuGetFeed(string ownApi) =>
        $"{(Host.StartsWith('$') ? ownApi : $"https://{Host}/api/v4")}/projects/{Uri.EscapeDataString(Project)}/packages/nuget/index.json";

    public static ComponentReference Parse(string value) =>
        TryParse(value) ?? throw KeylessException.Input($"--component {value}: expected a CI/CD component reference HOST/GROUP/PROJECT/deploy@VERSION, e.g. $CI_SERVER_FQDN/acme/keyless/deploy@1.2.3 or …@~latest.");

    [GeneratedRegex(@"^(?<path>[^/@\s]+/(?<project>[A-Za-z0-9_.][A-Za-z0-9_.-]*(/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+)/[A-Za-z0-9_-]+)@(?<version>[A-Za-z0-9_.~+-]+)$")]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemanticVersion();
}
