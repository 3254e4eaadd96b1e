using System.Text.Json;
using Keyless.Core.Processes;
using Keyless.Local.Pipeline;

namespace Keyless.Local.Tests.Pipeline;

[Collection(PipelineRuns.Name)]
public sealed class LocalToolsTests(PipelineTools fixture)
{
    [Fact]
    public async Task Should_PinAndInstallGitLabCiLocal4730_When_ToolsAreEnsured()
    {
        // Given: the committed pin and lock file
        var tools = Path.Combine(PipelineTools.RepositoryRoot, "tools");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(tools, "package.json")));
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(tools, "package-lock.json")));

        // When
        var version = await ToolProcess.RunAsync(fixture.Tools.GitLabCiLocal, ["--version"]);

        // Then
        Assert.Equal("4.73.0", manifest.RootElement.GetProperty("dependencies").GetProperty("gitlab-ci-local").GetString());
        Assert.Equal("4.73.0", lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/gitlab-ci-local").GetProperty("version").GetString());
        Assert.Equal(LocalTools.GitLabCiLocalVersion, fixture.Tools.InstalledVersion());
        Assert.Equal("4.73.0", version.StandardOutput.Trim());
        Assert.NotNull(ToolProcess.Which("rsync"));
    }

    [Fact]
    public async Task Should_RefuseToInstall_When_TheToolsFolderPinsAnotherVersion()
    {
        // Given: a repository whose tools/package.json floats
        var root = Directory.CreateTempSubdirectory("keyless-tools-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "tools"));
            File.WriteAllText(Path.Combine(root, "tools", "package.json"), """{"dependencies": {"gitlab-ci-local": "^4.73.0"}}""");
            File.WriteAllText(Path.Combine(root, "tools", "package-lock.json"), "{}");

            // When
            var error = await Assert.ThrowsAsync<Keyless.Core.KeylessException>(() => LocalTools.EnsureAsync(root));

            // Then
            Assert.Contains("exactly \"4.73.0\"", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
