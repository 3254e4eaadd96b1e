using Keyless.Core.Configuration;
using Keyless.Core.Processes;

namespace Keyless.Cli.Commands.Init;

/// <summary>
/// What the repository's git knows: the GitLab project of the remote origin (or the problem why there is none, for
/// the message that asks for the options instead), and the remote's default branch.
/// </summary>
internal sealed record GitFacts(GitRemote? Remote, string? Problem, string? DefaultBranch)
{
    // Hosts that are certainly not GitLab: a remote there cannot run a GitLab pipeline.
    private static readonly string[] OtherForges = ["github.com", "bitbucket.org", "codeberg.org", "dev.azure.com", "ssh.dev.azure.com"];

    public static async Task<GitFacts> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        if (ToolProcess.Which("git") is null)
        {
            return new GitFacts(null, "git is not installed, so the remote origin cannot be read", null);
        }

        var url = await ToolProcess.RunAsync("git", ["remote", "get-url", "origin"], folder, cancellationToken: cancellationToken);
        if (url.ExitCode != 0)
        {
            return new GitFacts(null, $"`git remote get-url origin` in {folder} failed: {url.Output.Split('\n')[0].Trim()}", null);
        }

        var head = await ToolProcess.RunAsync("git", ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], folder, cancellationToken: cancellationToken);
        var branch = head.ExitCode == 0 && head.StandardOutput.Trim() is { } name && name.StartsWith("origin/", StringComparison.Ordinal) ? name["origin/".Length..] : null;

        // The URL itself is never repeated: it may hold a user name and token.
        var remote = GitRemote.Parse(url.StandardOutput.Trim(), out var problem);
        return remote is null ? new GitFacts(null, $"the URL of the remote origin is not a GitLab project's: {problem}", branch)
            : OtherForges.Contains(new Uri(remote.GitLabUrl).Host, StringComparer.Ordinal) ? new GitFacts(null, $"the remote origin is on {new Uri(remote.GitLabUrl).Host}, which is not a GitLab instance; keyless deploys from GitLab CI/CD", branch)
            : new GitFacts(remote, null, branch);
    }
}
