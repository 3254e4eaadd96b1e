using System.Globalization;
using Keyless.Core;
using Keyless.Core.Configuration;

namespace Keyless.Local.Pipeline;

/// <summary>How to lay out a <see cref="PipelineWorkspace"/>; every value defaults to keyless.json's.</summary>
public sealed record PipelineWorkspaceOptions
{
    /// <summary>Where the workspace folder is made; default: the system's temporary folder.</summary>
    public string? ParentDirectory { get; init; }

    /// <summary>The GitLab project path (<c>group/project</c>); default: <c>gitlab.project</c> of keyless.json.</summary>
    public string? ProjectPath { get; init; }

    /// <summary>The instance URL; default: <c>gitlab.url</c> of keyless.json, else https://gitlab.com.</summary>
    public string? ServerUrl { get; init; }

    /// <summary>The project's default branch; default: <c>gitlab.defaultBranch</c> of keyless.json, else main.</summary>
    public string? DefaultBranch { get; init; }

    /// <summary>Whether the ref is protected on GitLab (<c>CI_COMMIT_REF_PROTECTED</c>); default: it is when an
    /// environment of keyless.json that requires protected refs lists it.</summary>
    public bool? Protected { get; init; }

    /// <summary>Leave the folder in place on dispose, to look at what the jobs left.</summary>
    public bool Keep { get; init; }
}

/// <summary>
/// A disposable clone of a repository's committed HEAD in which gitlab-ci-local runs the pipeline for one
/// ref, so the user's tree is never touched and build outputs land in the clone. The clone has
/// <list type="bullet">
/// <item>the ref checked out: a branch of that name, or a tag of that name at HEAD, checked out detached as
/// GitLab's runner does;</item>
/// <item>a fake <c>origin</c> (<c>https://gitlab.com/GROUP/PROJECT.git</c>) with <c>origin/HEAD</c> at the
/// default branch, from which gitlab-ci-local derives <c>CI_PROJECT_PATH</c>, <c>CI_SERVER_URL</c> and
/// <c>CI_DEFAULT_BRANCH</c>.</item>
/// </list>
/// gitlab-ci-local 4.73.0 takes the ref from <c>git rev-parse --abbrev-ref HEAD</c>: on a branch that is
/// right, but on a checked-out tag it answers <c>HEAD</c>, so <c>CI_COMMIT_BRANCH</c> and
/// <c>CI_COMMIT_REF_NAME</c> become "HEAD" and <c>CI_COMMIT_TAG</c> is never set. <see cref="RefVariables"/>
/// and <see cref="UnsetVariables"/> correct that, so rules evaluate as on GitLab.
/// </summary>
public sealed class PipelineWorkspace : IDisposable
{
    private readonly bool _keep;

    private PipelineWorkspace(string root, PipelineRef gitRef, string projectPath, string serverUrl, string defaultBranch, string commitSha, bool isProtected, KeylessConfig? config, IReadOnlyDictionary<string, string> commitVariables, bool keep)
    {
        Root = root;
        Ref = gitRef;
        ProjectPath = projectPath;
        ServerUrl = serverUrl;
        DefaultBranch = defaultBranch;
        CommitSha = commitSha;
        Protected = isProtected;
        Config = config;
        _keep = keep;

        var variables = new Dictionary<string, string>(commitVariables, StringComparer.Ordinal);
        var unset = new List<string>();
        if (gitRef.IsTag)
        {
            variables["CI_COMMIT_TAG"] = gitRef.Name;
            variables["CI_COMMIT_REF_NAME"] = gitRef.Name;
            variables["CI_COMMIT_REF_SLUG"] = gitRef.Slug;
            unset.Add("CI_COMMIT_BRANCH"); // GitLab: "Not available in tag pipelines"
        }

        variables["CI_COMMIT_REF_PROTECTED"] = isProtected ? "true" : "false";
        if (config?.GitLab.ProjectId is { } projectId)
        {
            variables["CI_PROJECT_ID"] = projectId;
        }

        if (config?.GitLab.NamespaceId is { } namespaceId)
        {
            variables["CI_PROJECT_NAMESPACE_ID"] = namespaceId;
        }

        RefVariables = variables;
        UnsetVariables = unset;
    }

    /// <summary>The workspace folder (mode 700): <see cref="ProjectDirectory"/> and <see cref="HomeDirectory"/>.</summary>
    public string Root { get; }

    /// <summary>The clone; gitlab-ci-local's working directory and the jobs' <c>CI_PROJECT_DIR</c>.</summary>
    public string ProjectDirectory => Path.Combine(Root, "project");

    /// <summary>An empty home for gitlab-ci-local (<c>--home</c>), so the user's <c>~/.gitlab-ci-local/variables.yml</c> stays out.</summary>
    public string HomeDirectory => Path.Combine(Root, "home");

    public PipelineRef Ref { get; }

    public string ProjectPath { get; }

    public string ServerUrl { get; }

    public string DefaultBranch { get; }

    public string CommitSha { get; }

    public bool Protected { get; }

    /// <summary>The clone's keyless.json, when it has one.</summary>
    public KeylessConfig? Config { get; }

    /// <summary>Predefined variables gitlab-ci-local gets wrong or fakes for this ref and commit, with GitLab's
    /// values: the tag variables, <c>CI_COMMIT_REF_PROTECTED</c>, the commit's title, message, description and
    /// timestamp, and the project and namespace IDs of keyless.json.</summary>
    public IReadOnlyDictionary<string, string> RefVariables { get; }

    /// <summary>Predefined variables GitLab does not set for this ref (<c>CI_COMMIT_BRANCH</c> in a tag pipeline).</summary>
    public IReadOnlyList<string> UnsetVariables { get; }

    /// <summary>Clones <paramref name="repository"/>'s committed HEAD (uncommitted changes are not part of a
    /// pipeline) and checks out <paramref name="gitRef"/>.</summary>
    public static async Task<PipelineWorkspace> CreateAsync(string repository, PipelineRef gitRef, PipelineWorkspaceOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gitRef);
        options ??= new PipelineWorkspaceOptions();
        var top = (await GitAsync(repository, cancellationToken, "rev-parse", "--show-toplevel")).Trim();
        var sha = (await GitAsync(top, cancellationToken, "rev-parse", "HEAD^{commit}")).Trim();

        var root = options.ParentDirectory is null
            ? Directory.CreateTempSubdirectory("keyless-pipeline-").FullName
            : CreatePrivateFolder(options.ParentDirectory);
        try
        {
            var project = Path.Combine(root, "project");
            Directory.CreateDirectory(project);
            Directory.CreateDirectory(Path.Combine(root, "home"));
            await GitAsync(project, cancellationToken, "init", "--quiet");
            await GitAsync(project, cancellationToken, "fetch", "--quiet", "--no-tags", top, sha);

            var config = await ReadConfigAsync(project, sha, cancellationToken);
            var projectPath = options.ProjectPath ?? config?.GitLab.Project
                ?? throw KeylessException.Input($"{top}: no keyless.json at HEAD to take the GitLab project path from; pass PipelineWorkspaceOptions.ProjectPath.");
            var serverUrl = (options.ServerUrl ?? config?.GitLab.Url ?? "https://gitlab.com").TrimEnd('/');
            var defaultBranch = options.DefaultBranch ?? config?.GitLab.DefaultBranch ?? "main";
            var isProtected = options.Protected ?? IsProtected(config, gitRef);

            // The identity gitlab-ci-local reports as GITLAB_USER_*: the user's, else a neutral one.
            await GitAsync(project, cancellationToken, "config", "user.name", await GitConfigAsync(top, "user.name", cancellationToken) ?? "Keyless Local");
            await GitAsync(project, cancellationToken, "config", "user.email", await GitConfigAsync(top, "user.email", cancellationToken) ?? "local@keyless.invalid");

            // The default branch exists locally and on the fake origin, as in a runner's clone.
            await GitAsync(project, cancellationToken, "remote", "add", "origin", $"{serverUrl}/{projectPath}.git");
            await GitAsync(project, cancellationToken, "update-ref", $"refs/remotes/origin/{defaultBranch}", sha);
            await GitAsync(project, cancellationToken, "symbolic-ref", "refs/remotes/origin/HEAD", $"refs/remotes/origin/{defaultBranch}");
            if (gitRef.IsTag)
            {
                await GitAsync(project, cancellationToken, "branch", "--quiet", defaultBranch, sha);
                await GitAsync(project, cancellationToken, "tag", gitRef.Name, sha);
                await GitAsync(project, cancellationToken, "checkout", "--quiet", "--detach", $"refs/tags/{gitRef.Name}");
            }
            else
            {
                if (gitRef.Name != defaultBranch)
                {
                    await GitAsync(project, cancellationToken, "branch", "--quiet", defaultBranch, sha);
                    await GitAsync(project, cancellationToken, "update-ref", $"refs/remotes/origin/{gitRef.Name}", sha);
                }

                await GitAsync(project, cancellationToken, "checkout", "--quiet", "-b", gitRef.Name, sha);
            }

            var commit = await CommitVariablesAsync(project, cancellationToken);
            return new PipelineWorkspace(root, gitRef, projectPath, serverUrl, defaultBranch, sha, isProtected, config, commit, options.Keep);
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    public void Dispose()
    {
        if (!_keep)
        {
            TryDelete(Root);
        }
    }

    /// <summary>Whether keyless.json says the project protects this ref: an environment that requires protected
    /// refs lists it (GitLab's ID token then carries <c>ref_protected: true</c>).</summary>
    public static bool IsProtected(KeylessConfig? config, PipelineRef gitRef) =>
        config is not null && config.Environments.Any(e => e.ProtectedOnly && e.Refs.Any(r => r.Type == gitRef.Type && Glob(r.Pattern, gitRef.Name)));

    private static bool Glob(string pattern, string name)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return pattern == name;
        }

        var prefix = pattern[..star];
        var rest = pattern[(star + 1)..];
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = prefix.Length; i <= name.Length; i++)
        {
            if (Glob(rest, name[i..]))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<KeylessConfig?> ReadConfigAsync(string project, string sha, CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunAsync("git", ["show", $"{sha}:{KeylessConfig.FileName}"], project, cancellationToken: cancellationToken);
        return result.ExitCode == 0 ? KeylessConfigParser.Parse($"{KeylessConfig.FileName} at {sha[..8]}", result.StandardOutput) : null;
    }

    private static async Task<IReadOnlyDictionary<string, string>> CommitVariablesAsync(string project, CancellationToken cancellationToken)
    {
        var message = (await GitAsync(project, cancellationToken, "log", "-1", "--format=%B")).TrimEnd('\n');
        var committed = (await GitAsync(project, cancellationToken, "log", "-1", "--format=%cI")).Trim();
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        var title = newline < 0 ? message : message[..newline];
        var description = newline < 0 ? "" : message[(newline + 1)..].Trim('\n');
        var timestamp = DateTimeOffset.Parse(committed, CultureInfo.InvariantCulture).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CI_COMMIT_TITLE"] = title,
            ["CI_COMMIT_MESSAGE"] = message,
            ["CI_COMMIT_DESCRIPTION"] = description,
            ["CI_COMMIT_TIMESTAMP"] = timestamp,
        };
    }

    private static async Task<string?> GitConfigAsync(string repository, string key, CancellationToken cancellationToken)
    {
        var result = await ToolProcess.RunAsync("git", ["config", key], repository, cancellationToken: cancellationToken);
        var value = result.StandardOutput.Trim();
        return result.ExitCode == 0 && value.Length > 0 ? value : null;
    }

    private static async Task<string> GitAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        if (!Directory.Exists(directory))
        {
            throw KeylessException.Input($"{directory}: no such folder.");
        }

        var result = await ToolProcess.RunAsync("git", arguments, directory, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new KeylessException(FailureKind.Failed, $"git {string.Join(' ', arguments)} (in {directory}) failed with exit {result.ExitCode}: {result.Output.Trim()}");
        }

        return result.StandardOutput;
    }

    private static string CreatePrivateFolder(string parent)
    {
        Directory.CreateDirectory(parent);
        var path = Path.Combine(Path.GetFullPath(parent), $"pipeline-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A job's leftover process may still hold a file; the temporary folder is cleaned up later.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
