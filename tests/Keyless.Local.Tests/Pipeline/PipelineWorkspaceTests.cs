using System.Diagnostics;
using Keyless.Core.Processes;
using Keyless.Local.Pipeline;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>The disposable clone: what it holds, the fake origin, the ref checked out, and the variables that
/// correct gitlab-ci-local 4.73.0 for tags.</summary>
[Collection(PipelineRuns.Name)]
public sealed class PipelineWorkspaceTests(PipelineTools fixture)
{
    [Fact]
    public async Task Should_CloneTheCommittedHeadWithAFakeOrigin_When_CreatedForTheDefaultBranch()
    {
        // Given: a repository with an uncommitted change
        using var repo = ScratchRepository.FromWorkingTree("keyless.json", ".gitlab-ci.yml");
        File.WriteAllText(Path.Combine(repo.Path, ".gitlab-ci.yml"), "uncommitted: true\n");

        // When
        string root;
        using (var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main")))
        {
            root = workspace.Root;

            // Then
            Assert.Equal("keyless-demo/website", workspace.ProjectPath);
            Assert.Equal("https://gitlab.com/keyless-demo/website.git", Git(workspace.ProjectDirectory, "remote", "get-url", "origin"));
            Assert.Equal("origin/main", Git(workspace.ProjectDirectory, "symbolic-ref", "--short", "refs/remotes/origin/HEAD"));
            Assert.Equal("main", Git(workspace.ProjectDirectory, "rev-parse", "--abbrev-ref", "HEAD"));
            Assert.Equal(Git(repo.Path, "rev-parse", "HEAD"), workspace.CommitSha);
            Assert.Equal(File.ReadAllText(Path.Combine(PipelineTools.RepositoryRoot, ".gitlab-ci.yml")), File.ReadAllText(Path.Combine(workspace.ProjectDirectory, ".gitlab-ci.yml")));
            Assert.True(workspace.Protected); // keyless.json: staging deploys from protected main
            Assert.Equal("true", workspace.RefVariables["CI_COMMIT_REF_PROTECTED"]);
            Assert.Equal("61425730", workspace.RefVariables["CI_PROJECT_ID"]);
            Assert.Equal("Scratch commit", workspace.RefVariables["CI_COMMIT_TITLE"]);
            Assert.Equal("With a description.", workspace.RefVariables["CI_COMMIT_DESCRIPTION"]);
            Assert.DoesNotContain("CI_COMMIT_TAG", workspace.RefVariables.Keys);
            Assert.Empty(workspace.UnsetVariables);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(root));
            }
        }

        // Then: gone on dispose, and the user's repository untouched
        Assert.False(Directory.Exists(root));
        Assert.Equal("uncommitted: true\n", File.ReadAllText(Path.Combine(repo.Path, ".gitlab-ci.yml")));
        Assert.False(Directory.Exists(Path.Combine(repo.Path, ".gitlab-ci-local")));
    }

    [Fact]
    public async Task Should_CheckOutTheTagDetachedAndSetGitLabsTagVariables_When_CreatedForATag()
    {
        // Given
        using var repo = ScratchRepository.FromWorkingTree("keyless.json");

        // When
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Tag("v1.0.0"));

        // Then
        Assert.Equal("HEAD", Git(workspace.ProjectDirectory, "rev-parse", "--abbrev-ref", "HEAD")); // what gitlab-ci-local reads
        Assert.Equal("v1.0.0", Git(workspace.ProjectDirectory, "describe", "--tags", "--exact-match"));
        Assert.Equal(workspace.CommitSha, Git(workspace.ProjectDirectory, "rev-parse", "main"));
        Assert.Equal("v1.0.0", workspace.RefVariables["CI_COMMIT_TAG"]);
        Assert.Equal("v1.0.0", workspace.RefVariables["CI_COMMIT_REF_NAME"]);
        Assert.Equal("v1-0-0", workspace.RefVariables["CI_COMMIT_REF_SLUG"]);
        Assert.Equal(["CI_COMMIT_BRANCH"], workspace.UnsetVariables);
        Assert.True(workspace.Protected); // production: protected tags v*
    }

    [Fact]
    public async Task Should_MissTheTag_When_GitLabCiLocalRunsOnATagWithoutTheCorrections()
    {
        // Given: the finding behind RefVariables, kept as a test: a checked-out tag reads as "HEAD"
        using var repo = ScratchRepository.Create(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = """
                release:
                  rules:
                    - if: $CI_COMMIT_TAG
                  script: [echo release]
                on-branch:
                  rules:
                    - if: $CI_COMMIT_BRANCH
                  script: [echo on-branch]
                """,
        });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Tag("v1.0.0"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });

        // When: gitlab-ci-local alone, then through LocalPipelineRun
        var bare = await ToolProcess.RunAsync(fixture.Tools.GitLabCiLocal, ["--list-csv-all", "--no-color", "--home", workspace.HomeDirectory], workspace.ProjectDirectory);
        var corrected = await new LocalPipelineRun(fixture.Tools, workspace).ListAsync();

        // Then
        Assert.Contains("release;test;never;", bare.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("on-branch;test;on_success;", bare.StandardOutput, StringComparison.Ordinal); // CI_COMMIT_BRANCH=HEAD
        Assert.Equal(["release:on_success", "on-branch:never"], corrected.Select(j => $"{j.Name}:{j.When}"));
    }

    [Fact]
    public async Task Should_CreateTheDefaultBranchBesideTheFeatureBranch_When_CreatedForAFeatureBranch()
    {
        // Given
        using var repo = ScratchRepository.FromWorkingTree("keyless.json");

        // When
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("feature/login"));

        // Then
        Assert.Equal("feature/login", Git(workspace.ProjectDirectory, "rev-parse", "--abbrev-ref", "HEAD"));
        Assert.Equal(workspace.CommitSha, Git(workspace.ProjectDirectory, "rev-parse", "main"));
        Assert.False(workspace.Protected);
        Assert.Equal("false", workspace.RefVariables["CI_COMMIT_REF_PROTECTED"]);
    }

    [Fact]
    public async Task Should_AskForTheProjectPath_When_TheRepositoryHasNoKeylessJson()
    {
        // Given
        using var repo = ScratchRepository.Create(new Dictionary<string, string> { ["README.md"] = "# nothing\n" });

        // When
        var error = await Assert.ThrowsAsync<Keyless.Core.KeylessException>(() => PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main")));

        // Then
        Assert.Contains("ProjectPath", error.Message, StringComparison.Ordinal);
    }

    private static string Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }
}
