namespace Keyless.Core.Configuration;

/// <summary>
/// The GitLab instance and project a git remote points to, read from the remote's URL in any form git accepts:
/// <c>git@gitlab.com:group/project.git</c> (scp-like), <c>ssh://git@host:2222/group/project.git</c> and
/// <c>https://host/group/sub/project.git</c>. User names and passwords in the URL are dropped, never kept.
/// </summary>
public sealed record GitRemote(string GitLabUrl, string Project)
{
    /// <summary>The remote, or null with <paramref name="problem"/> saying why the URL names no GitLab project.</summary>
    public static GitRemote? Parse(string url, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(url);
        problem = null;
        var (host, path) = Split(url.Trim());
        if (host is null || path is null)
        {
            problem = "not a git remote URL (expected git@HOST:GROUP/PROJECT.git, ssh://… or https://HOST/GROUP/PROJECT.git)";
            return null;
        }

        path = path.Trim('/');
        path = path.EndsWith(".git", StringComparison.Ordinal) ? path[..^4] : path;
        if (!KeylessConfigParser.IsProjectPath(path))
        {
            problem = $"its path \"{path}\" is not a GitLab project path (GROUP/PROJECT, with any subgroups between)";
            return null;
        }

        return new GitRemote("https://" + host, path);
    }

    private static (string? Host, string? Path) Split(string url)
    {
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "ssh" or "git") || uri.Host.Length == 0)
            {
                return (null, null);
            }

            // An ssh port is the ssh server's, not the web's; an https port is kept (a self-managed instance may serve on one).
            var host = uri.Scheme is "https" or "http" && !uri.IsDefaultPort ? $"{uri.Host}:{uri.Port}" : uri.Host;
            return (host.ToLowerInvariant(), Uri.UnescapeDataString(uri.AbsolutePath));
        }

        // scp-like: [user@]host:path, where the part before the first colon has no slash.
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || url[..colon].Contains('/', StringComparison.Ordinal))
        {
            return (null, null);
        }

        var userHost = url[..colon];
        var at = userHost.LastIndexOf('@');
        var bare = at >= 0 ? userHost[(at + 1)..] : userHost;
        return bare.Length == 0 ? (null, null) : (bare.ToLowerInvariant(), url[(colon + 1)..]);
    }
}
