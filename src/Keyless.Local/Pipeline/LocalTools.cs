using System.Text.Json;
using Keyless.Core;

namespace Keyless.Local.Pipeline;

/// <summary>
/// The tools a local pipeline run needs, made present: gitlab-ci-local at exactly
/// <see cref="GitLabCiLocalVersion"/> in the repository's <c>tools/</c> folder (installed with
/// <c>npm ci --prefix tools</c> from the committed lock file when missing), and rsync, which
/// gitlab-ci-local calls for every job (installed with apt-get when missing and we are root).
/// </summary>
public sealed class LocalTools
{
    /// <summary>4.74.0 and newer need Node.js 22 (<c>Set.prototype.union</c>); 4.73.0 runs on Node 20.</summary>
    public const string GitLabCiLocalVersion = "4.73.0";

    private const string PackageName = "gitlab-ci-local";
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    private LocalTools(string repositoryRoot) => RepositoryRoot = repositoryRoot;

    public string RepositoryRoot { get; }

    /// <summary>The npm project that pins the tools: <c>package.json</c> and <c>package-lock.json</c>, committed.</summary>
    public string ToolsDirectory => Path.Combine(RepositoryRoot, "tools");

    /// <summary>The gitlab-ci-local command (a Node.js script).</summary>
    public string GitLabCiLocal => Path.Combine(ToolsDirectory, "node_modules", ".bin", PackageName);

    /// <summary>
    /// Installs what is missing and checks the versions. Safe to call from parallel tests and processes:
    /// the install runs under a lock file in <c>tools/</c>.
    /// </summary>
    public static async Task<LocalTools> EnsureAsync(string repositoryRoot, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var tools = new LocalTools(Path.GetFullPath(repositoryRoot));
        tools.CheckPin();
        await InProcess.WaitAsync(cancellationToken);
        try
        {
            using (await AcquireFileLockAsync(Path.Combine(tools.ToolsDirectory, ".install.lock"), cancellationToken))
            {
                await tools.EnsureGitLabCiLocalAsync(log, cancellationToken);
            }

            await EnsureRsyncAsync(log, cancellationToken);
        }
        finally
        {
            InProcess.Release();
        }

        return tools;
    }

    /// <summary>The version recorded in the installed package, or null when it is not installed.</summary>
    public string? InstalledVersion()
    {
        var manifest = Path.Combine(ToolsDirectory, "node_modules", PackageName, "package.json");
        if (!File.Exists(manifest) || !File.Exists(GitLabCiLocal))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        return document.RootElement.TryGetProperty("version", out var version) ? version.GetString() : null;
    }

    private void CheckPin()
    {
        var manifest = Path.Combine(ToolsDirectory, "package.json");
        if (!File.Exists(manifest) || !File.Exists(Path.Combine(ToolsDirectory, "package-lock.json")))
        {
            throw KeylessException.Input($"{ToolsDirectory}: package.json and package-lock.json are missing; they pin {PackageName} {GitLabCiLocalVersion} for the local pipeline run.");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var pinned = document.RootElement.TryGetProperty("dependencies", out var dependencies) && dependencies.TryGetProperty(PackageName, out var version)
            ? version.GetString()
            : null;
        if (pinned != GitLabCiLocalVersion)
        {
            throw KeylessException.AtJson(manifest, $"$.dependencies[\"{PackageName}\"]", pinned is null ? "nothing" : $"\"{pinned}\"", $"exactly \"{GitLabCiLocalVersion}\" (newer versions crash on Node.js 20)");
        }
    }

    private async Task EnsureGitLabCiLocalAsync(Action<string>? log, CancellationToken cancellationToken)
    {
        if (InstalledVersion() == GitLabCiLocalVersion)
        {
            return;
        }

        var npm = ToolProcess.Which("npm")
            ?? throw new KeylessException(FailureKind.Failed, $"npm is not on $PATH: the local pipeline needs Node.js 20 and npm to install {PackageName} {GitLabCiLocalVersion} (apt-get install -y nodejs npm).");
        log?.Invoke($"Installing {PackageName} {GitLabCiLocalVersion} into {ToolsDirectory} (npm ci)");
        var result = await ToolProcess.RunAsync(npm, ["ci", "--prefix", ToolsDirectory, "--no-audit", "--no-fund", "--loglevel", "error"], ToolsDirectory, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new KeylessException(FailureKind.Failed, $"npm ci --prefix {ToolsDirectory} failed (exit {result.ExitCode}):\n{result.Output.TrimEnd()}");
        }

        var installed = InstalledVersion();
        if (installed != GitLabCiLocalVersion)
        {
            throw new KeylessException(FailureKind.Failed, $"npm ci installed {PackageName} {installed ?? "nothing"}, expected {GitLabCiLocalVersion}: tools/package-lock.json does not match tools/package.json; run `npm install --prefix tools` and commit the lock file.");
        }
    }

    private static async Task EnsureRsyncAsync(Action<string>? log, CancellationToken cancellationToken)
    {
        if (ToolProcess.Which("rsync") is not null)
        {
            return;
        }

        if (!await IsRootAsync(cancellationToken) || ToolProcess.Which("apt-get") is null)
        {
            throw new KeylessException(FailureKind.Failed, "rsync is not on $PATH, and gitlab-ci-local calls it for every job. Install it (sudo apt-get install -y rsync) and run again.");
        }

        log?.Invoke("Installing rsync (apt-get install -y rsync)");
        var environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        var install = await ToolProcess.RunAsync("apt-get", ["install", "-y", "-q", "rsync"], environment: environment, cancellationToken: cancellationToken);
        if (install.ExitCode != 0)
        {
            // A fresh machine has no package lists yet.
            await ToolProcess.RunAsync("apt-get", ["update", "-q"], environment: environment, cancellationToken: cancellationToken);
            install = await ToolProcess.RunAsync("apt-get", ["install", "-y", "-q", "rsync"], environment: environment, cancellationToken: cancellationToken);
        }

        if (install.ExitCode != 0 || ToolProcess.Which("rsync") is null)
        {
            throw new KeylessException(FailureKind.Failed, $"apt-get install -y rsync failed (exit {install.ExitCode}); gitlab-ci-local needs rsync:\n{install.Output.TrimEnd()}");
        }
    }

    private static async Task<bool> IsRootAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        var id = await ToolProcess.RunAsync("id", ["-u"], cancellationToken: cancellationToken);
        return id.ExitCode == 0 && id.StandardOutput.Trim() == "0";
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                // Another process is installing; wait for it (up to two minutes).
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
