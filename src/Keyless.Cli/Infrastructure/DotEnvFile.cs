using Keyless.Core;

namespace Keyless.Cli.Infrastructure;

/// <summary>
/// The dotenv file a deploy job hands to GitLab (<c>artifacts: reports: dotenv: deploy.env</c>), so
/// <c>environment: url: $KEYLESS_ENVIRONMENT_URL</c> and later jobs see where and what was deployed.
/// </summary>
public static class DotEnvFile
{
    public const string DefaultName = "deploy.env";
    public const string UrlVariable = "KEYLESS_ENVIRONMENT_URL";
    public const string ReleaseVariable = "KEYLESS_RELEASE";

    /// <param name="path">The file as the user named it.</param>
    /// <param name="workingFolder">What a relative <paramref name="path"/> is relative to.</param>
    /// <param name="url">The environment's URL, when known.</param>
    /// <param name="release">The release published.</param>
    public static void Write(string path, string workingFolder, string? url, string release)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var lines = new List<string> { $"{ReleaseVariable}={release}" };
        if (url is not null)
        {
            lines.Add($"{UrlVariable}={url}");
        }

        try
        {
            File.WriteAllText(Path.GetFullPath(path, workingFolder), string.Join('\n', lines) + "\n");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw KeylessException.Input($"--dotenv {path}: cannot write it ({e.Message}). The release is published; name a writable file.");
        }
    }
}
