using Keyless.Local.Issuer;
using Keyless.Local.Pipeline;

namespace Keyless.EndToEnd;

/// <summary>
/// The CI/CD component (<c>templates/deploy.yml</c>) in a project that has nothing of keyless but the
/// component: a built site, keyless.json and a <c>.gitlab-ci.yml</c> that includes it, run by gitlab-ci-local.
/// The release comes from a loopback stand-in for the package registry, filled by <c>.ci/publish</c> as the
/// tag pipeline fills GitLab's; the deploy reaches the local cloud of <see cref="TheSystem"/>.
/// </summary>
[Collection(TheSystemGroup.Name)]
public sealed class ComponentTests(TheSystem system) : IAsyncLifetime
{
    private const string JobToken = "job-token-for-the-e2e-registry";
    private const string TamperedMarker = "the tampered binary ran";

    private readonly string _work = Directory.CreateTempSubdirectory("keyless-e2e-component-").FullName;
    private PackageRegistry _registry = null!;
    private BuiltRelease _release = null!;

    public async Task InitializeAsync()
    {
        _release = await BuiltRelease.GetAsync();
        _registry = await PackageRegistry.StartAsync(Path.Combine(_work, "registry"));
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Should_DeployWithTheReleaseItDownloadedAndVerified_When_AProjectWithoutKeylessSourceIncludesTheComponent()
    {
        // Given: the release uploaded with the job token, as the tag pipeline's build job does
        var published = await ReleaseProcess.RunAsync(Path.Combine(TheSystem.Repository, ".ci", "publish"), [_release.Folder], folder: _work, environment: new Dictionary<string, string>
        {
            ["CI_API_V4_URL"] = _registry.ApiUrl,
            ["CI_PROJECT_ID"] = PackageRegistry.ProjectId,
            ["CI_JOB_TOKEN"] = JobToken,
            ["KEYLESS_PUBLISH_NUGET"] = "false",
        });
        Assert.Equal(_release.Version, published.Trim().Split('\n')[^1]);
        Assert.Equal($"KEYLESS_PACKAGE_VERSION={_release.Version}\n", await File.ReadAllTextAsync(Path.Combine(_work, "release.env")));
        var uploads = _registry.Requests.Where(r => r.StartsWith("PUT ", StringComparison.Ordinal)).ToList();
        Assert.Contains($"PUT /api/v4/projects/{PackageRegistry.ProjectId}/packages/generic/keyless/{_release.Version}/{_release.FileName("linux-x64")}.sha256 (token)", uploads);
        Assert.All(uploads, u => Assert.EndsWith(" (token)", u, StringComparison.Ordinal));
        Assert.Equal(
            File.ReadAllBytes(_release.Binary("linux-x64")),
            File.ReadAllBytes(Path.Combine(_registry.Folder, _release.Version, _release.FileName("linux-x64"))));

        // And a project with only a built site, keyless.json and the component, on the default branch
        var page = $"<!doctype html><html lang=\"en\"><title>component</title><h1>Deployed by the component {Guid.NewGuid():N}</h1></html>";
        var project = await ProjectAsync(page, source: null);
        using var http = new HttpClient();
        var live = await http.GetStringAsync(new Uri(system.StagingUrl + "/"));

        // When: its pipeline runs, the job's CI_API_V4_URL being the registry's (so the default source is it)
        var run = await RunAsync(project, [new PipelineVariable("CI_API_V4_URL", _registry.ApiUrl), new PipelineVariable("CI_JOB_TOKEN", JobToken, Secret: true)]);
        var served = await http.GetStringAsync(new Uri(system.StagingUrl + "/"));
        var token = system.Mint(system.Cloud.Config.GitLab.Project, "main", RefType.Branch, isProtected: true);
        var (rolledBack, rollbackOutput) = await system.KeylessAsync(token, "rollback", "--env", "staging");

        // Then: the binary for this platform came from the default source, with the job token (this instance's
        // API), was verified, and deployed the project's site
        Assert.True(run.Succeeded, run.Output);
        Assert.Equal(JobStatus.Passed, run["deploy-staging"]);
        Assert.Contains($"keyless: {_release.FileName("linux-x64")} verified", run.Output, StringComparison.Ordinal);
        Assert.Contains($"GET /api/v4/projects/acme%2Fkeyless/packages/generic/keyless/{_release.Version}/{_release.FileName("linux-x64")} (token)", _registry.Requests);
        Assert.Contains($"GET /api/v4/projects/acme%2Fkeyless/packages/generic/keyless/{_release.Version}/{_release.FileName("linux-x64")}.sha256 (token)", _registry.Requests);
        Assert.Equal(page, served);
        Assert.True(rolledBack == 0, rollbackOutput);
        Assert.Equal(live, await http.GetStringAsync(new Uri(system.StagingUrl + "/")));
        Assert.DoesNotContain(JobToken, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_FailBeforeRunningKeyless_When_TheDownloadedBinaryDoesNotMatchItsChecksum()
    {
        // Given: a registry whose binary was replaced by a program that would announce itself, next to the
        // genuine checksum
        var folder = Path.Combine(_registry.Folder, _release.Version);
        Directory.CreateDirectory(folder);
        var name = _release.FileName("linux-x64");
        File.Copy(_release.Binary("linux-x64") + ".sha256", Path.Combine(folder, name + ".sha256"));
        await File.WriteAllTextAsync(Path.Combine(folder, name), $"#!/bin/sh\necho '{TamperedMarker}'\n");
        var project = await ProjectAsync("<!doctype html><html lang=\"en\"><title>tampered</title></html>", source: _registry.PackageUrl);
        var before = await system.VersionsAsync(system.Output("StagingBucketName"));

        // When
        var run = await RunAsync(project, []);

        // Then: the job failed on the checksum, the program never ran, nothing was deployed
        Assert.Equal(JobStatus.Failed, run["deploy-staging"]);
        Assert.Contains($"keyless: SHA-256 mismatch: {name}", run.Output, StringComparison.Ordinal);
        Assert.Contains("Not running it", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TamperedMarker, run.Output, StringComparison.Ordinal);
        Assert.Contains($"GET /api/v4/projects/{PackageRegistry.ProjectId}/packages/generic/keyless/{_release.Version}/{name}", _registry.Requests); // no token: the source is not this instance's API
        Assert.Equal(before, await system.VersionsAsync(system.Output("StagingBucketName")));
    }

    /// <summary>A git repository with a built site, keyless.json (this system's project, so its token is
    /// admitted) and a <c>.gitlab-ci.yml</c> that includes the component as GitLab resolves it at a commit.</summary>
    private async Task<string> ProjectAsync(string page, string? source)
    {
        var project = Path.Combine(_work, $"project-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(project, "dist"));
        Directory.CreateDirectory(Path.Combine(project, "templates"));
        await File.WriteAllTextAsync(Path.Combine(project, "dist", "index.html"), page);
        File.Copy(Path.Combine(TheSystem.Repository, "keyless.json"), Path.Combine(project, "keyless.json"));
        File.Copy(Path.Combine(TheSystem.Repository, "templates", "deploy.yml"), Path.Combine(project, "templates", "deploy.yml"));
        await File.WriteAllTextAsync(Path.Combine(project, ".gitlab-ci.yml"), $"""
            include:
              - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/deploy@$CI_COMMIT_SHA
                inputs:
                  environment: staging
                  deployment_tier: staging
                  needs: []
                  version: "{_release.Version}"
            {(source is null ? "" : $"      source: {source}\n")}
            """);
        foreach (var git in new[] { "init -q -b main", "add -A", "-c user.name=e2e -c user.email=e2e@keyless.invalid commit -q -m site" })
        {
            await ReleaseProcess.RunAsync("git", git.Split(' '), folder: project);
        }

        return project;
    }

    private async Task<LocalPipelineResult> RunAsync(string project, IReadOnlyList<PipelineVariable> extra)
    {
        var tools = await LocalTools.EnsureAsync(TheSystem.Repository);
        using var workspace = await PipelineWorkspace.CreateAsync(project, PipelineRef.Branch("main"));
        var token = system.Cloud.Mint("main", RefType.Branch, "staging");
        system.Secrets.Enqueue(token);
        var variables = system.Cloud.JobVariables().Select(v => new PipelineVariable(v.Key, v.Value))
            .Append(new PipelineVariable("KEYLESS_ID_TOKEN", token, Secret: true))
            .Concat(extra)
            .ToList();
        var result = await new LocalPipelineRun(tools, workspace).RunAsync(new LocalPipelineRequest { Variables = variables, OnOutput = system.Captured.Enqueue });
        system.AssertNoSecretLeaked();
        return result;
    }
}
