using System.Text.RegularExpressions;
using Keyless.Core.Configuration;
using Keyless.Local.Pipeline;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>
/// The repository's own <c>.gitlab-ci.yml</c>, as it is on disk: validated against GitLab's CI schema and
/// listed per ref by gitlab-ci-local 4.73.0 (offline), and read as YAML for what the schema cannot check.
/// </summary>
[Collection(PipelineRuns.Name)]
public sealed partial class GitLabCiYmlTests(PipelineTools fixture)
{
    private static readonly string[] PipelineFiles = [".gitlab-ci.yml", "keyless.json", "templates/deploy.yml"];
    private static readonly string[] AllJobs = ["validate", "build", "test", "deploy-staging", "deploy-production"];

    private static string CiYml => File.ReadAllText(Path.Combine(PipelineTools.RepositoryRoot, ".gitlab-ci.yml"));

    private static KeylessConfig Config => KeylessConfigParser.Parse("keyless.json", File.ReadAllText(Path.Combine(PipelineTools.RepositoryRoot, "keyless.json")));

    [Fact]
    public async Task Should_ListExactlyFiveJobsWithTheirStagesAndNeeds_When_TheFileIsValidatedAgainstGitLabsSchema()
    {
        // Given / When
        var jobs = await ListAsync(PipelineRef.Branch("main"));

        // Then
        Assert.Equal(AllJobs, jobs.Select(j => j.Name));
        Assert.Equal(["validate", "build", "test", "deploy", "deploy"], jobs.Select(j => j.Stage));
        var needs = jobs.ToDictionary(j => j.Name, j => string.Join(",", j.Needs));
        Assert.Equal("", needs["validate"]);
        Assert.Equal("validate", needs["build"]);
        Assert.Equal("validate", needs["test"]);
        Assert.Equal("build,test", needs["deploy-staging"]);
        Assert.Equal("build,test", needs["deploy-production"]);
        Assert.All(jobs, j => Assert.False(j.AllowFailure));
    }

    [Fact]
    public async Task Should_RunEveryJobButProduction_When_TheRefIsTheDefaultBranch()
    {
        // Given / When
        var jobs = await ListAsync(PipelineRef.Branch(Config.GitLab.DefaultBranch));

        // Then
        Assert.Equal(["on_success", "on_success", "on_success", "on_success", "never"], jobs.Select(j => j.When));
    }

    [Fact]
    public async Task Should_OfferProductionAsAManualJobAndSkipStaging_When_TheRefIsAReleaseTag()
    {
        // Given / When
        var jobs = await ListAsync(PipelineRef.Tag("v1.0.0"));

        // Then
        Assert.Equal(["on_success", "on_success", "on_success", "never", "manual"], jobs.Select(j => j.When));
        Assert.False(jobs.Single(j => j.Name == "deploy-production").AllowFailure); // a manual job in rules blocks the pipeline
    }

    [Theory]
    [InlineData("branch", "feature/login")]
    [InlineData("branch", "v1.0.0-branch-named-like-a-tag-but-a-branch")]
    [InlineData("tag", "nightly-2026-01-01")]
    public async Task Should_RunNoDeployJob_When_TheRefIsNeitherTheDefaultBranchNorAReleaseTag(string type, string name)
    {
        // Given / When
        var jobs = await ListAsync(type == "tag" ? PipelineRef.Tag(name) : PipelineRef.Branch(name));

        // Then
        Assert.Equal(["on_success", "on_success", "on_success", "never", "never"], jobs.Select(j => j.When));
    }

    [Fact]
    public async Task Should_RefuseTheFile_When_ItBreaksGitLabsSchema()
    {
        // Given: a typo GitLab would reject
        using var repo = ScratchRepository.Create(new Dictionary<string, string>
        {
            [".gitlab-ci.yml"] = CiYml.Replace("  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", "  rules:\n    - iff: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", StringComparison.Ordinal),
        });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main"), new PipelineWorkspaceOptions { ProjectPath = "keyless-demo/website" });

        // When
        var error = await Assert.ThrowsAsync<Keyless.Core.KeylessException>(() => new LocalPipelineRun(fixture.Tools, workspace).ListAsync());

        // Then
        Assert.Contains("iff", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_AskForAnIdTokenWithTheConfiguredAudience_When_AJobDeploys()
    {
        // Given
        var root = Yaml.Load(CiYml);

        // When / Then: both deploy jobs, and only they, get an ID token, for keyless.json's audience
        foreach (var name in AllJobs)
        {
            var job = root.Get(name)!;
            var audience = job.Text("id_tokens", "KEYLESS_ID_TOKEN", "aud");
            Assert.Equal(name.StartsWith("deploy-", StringComparison.Ordinal) ? Config.GitLab.Audience : null, audience);
        }
    }

    [Theory]
    [InlineData("staging")]
    [InlineData("production")]
    public void Should_DeployToItsEnvironmentSeriallyWithTheUrlFromItsDotenvReport_When_ItIsADeployJob(string environment)
    {
        // Given
        var job = Yaml.Load(CiYml).Get($"deploy-{environment}")!;

        // Then
        Assert.Equal(environment, job.Text("environment", "name"));
        Assert.Equal(environment, job.Text("environment", "deployment_tier"));
        Assert.Equal("$KEYLESS_ENVIRONMENT_URL", job.Text("environment", "url"));
        Assert.Equal(environment, job.Text("resource_group"));
        var dotenv = job.Text("artifacts", "reports", "dotenv");
        var script = Assert.Single(job.Texts("script"));
        Assert.Equal($".keyless/bin/keyless deploy --site {Config.Site.Output} --env {environment} --dotenv {dotenv}", script);
    }

    [Fact]
    public void Should_MatchKeylessJsonsRefs_When_RulesDecideWhichEnvironmentADeployJobReaches()
    {
        // Given: keyless.json's environments (staging: the default branch; production: tag v*, manual)
        var config = Config;
        var root = Yaml.Load(CiYml);

        // Then: the rules say the same
        Assert.Equal(["branch:" + config.GitLab.DefaultBranch], config.Environment("staging").Refs.Select(r => r.ToString()));
        Assert.Equal("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", root.Get("deploy-staging")!.ValuesOf("if").Single());
        Assert.Equal(["tag:v*"], config.Environment("production").Refs.Select(r => r.ToString()));
        Assert.True(config.Environment("production").Manual);
        Assert.Equal("$CI_COMMIT_TAG =~ /^v/", root.Get("deploy-production")!.ValuesOf("if").Single());
        Assert.Equal("manual", root.Get("deploy-production")!.ValuesOf("when").Single());
    }

    [Fact]
    public void Should_PinEveryImageToAnExactVersion_When_AJobNamesOne()
    {
        // Given
        var images = Yaml.Load(CiYml).ValuesOf("image").ToList();

        // Then: a full version in the tag (no latest, no floating 10.0)
        Assert.NotEmpty(images);
        Assert.All(images, image => Assert.Matches(PinnedImage(), image));
    }

    [Fact]
    public void Should_PublishReportsAndArtifacts_When_TheJobsSucceedOrFail()
    {
        // Given
        var root = Yaml.Load(CiYml);

        // Then
        Assert.Equal(["gl-code-quality-site.json"], root.Texts("validate", "artifacts", "reports", "codequality"));
        Assert.Equal("always", root.Text("validate", "artifacts", "when"));
        Assert.Equal(["gl-code-quality-trust.json"], root.Texts("build", "artifacts", "reports", "codequality"));
        Assert.Equal("always", root.Text("build", "artifacts", "when"));
        Assert.Equal(["cdk.out/", Config.Site.Output + "/", ".keyless/bin/", "artifacts/release/"], root.Texts("build", "artifacts", "paths"));
        Assert.Equal("release.env", root.Text("build", "artifacts", "reports", "dotenv"));
        Assert.Equal("test-results/*.xml", root.Text("test", "artifacts", "reports", "junit"));
        Assert.Equal("always", root.Text("test", "artifacts", "when"));
        var test = Assert.Single(root.Texts("test", "script"));
        Assert.Contains("--results-directory test-results --logger \"junit;LogFileName={assembly}.xml\"", test, StringComparison.Ordinal);
        Assert.Contains("--filter \"FullyQualifiedName!~Keyless.EndToEnd\"", test, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_TestValidatesBuildWithoutCompilingAgain_When_TheTestJobRuns()
    {
        // Given
        var root = Yaml.Load(CiYml);
        var build = Assert.Single(root.Texts("validate", "script"), line => line.StartsWith("dotnet build ", StringComparison.Ordinal));
        var test = Assert.Single(root.Texts("test", "script"));
        var need = (YamlDotNet.RepresentationModel.YamlMappingNode)Assert.Single(((YamlDotNet.RepresentationModel.YamlSequenceNode)root.Get("test", "needs")!).Children);

        // Then: the same configuration, no second compile, and validate's artifacts (GitLab's default for a need)
        // hold the compiled tests of every test project of the solution
        Assert.Contains("--configuration Release", build, StringComparison.Ordinal);
        Assert.Contains("--configuration Release --no-build", test, StringComparison.Ordinal);
        Assert.Equal("validate", need.Text("job"));
        Assert.Null(need.Text("artifacts"));
        var paths = root.Texts("validate", "artifacts", "paths");
        var solution = File.ReadAllText(Path.Combine(PipelineTools.RepositoryRoot, "Keyless.slnx"));
        var testProjects = ProjectPath().Matches(solution).Select(m => m.Groups[1].Value).Where(p => p.StartsWith("tests/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(testProjects);
        Assert.All(testProjects, project => Assert.Equal(3, project.Split('/').Length)); // tests/X/X.csproj: under the tests/*/ globs
        Assert.Contains("tests/*/bin/", paths);
        Assert.Contains("tests/*/obj/", paths);
    }

    [Fact]
    public void Should_ProveWhomTheSynthesizedRolesAdmitBeforeEitherDeploy_When_TheBuildJobRuns()
    {
        // Given
        var root = Yaml.Load(CiYml);
        var script = root.Texts("build", "script").ToList();

        // Then: the synth, then the trust check of what it wrote against keyless.json, first of all the build's steps;
        // both deploy jobs need build, so a role that admits too much stops them
        Assert.Equal(0, script.FindIndex(line => line.StartsWith("dotnet run --project src/Keyless.Infrastructure ", StringComparison.Ordinal)));
        Assert.Equal(1, script.FindIndex(line => line.StartsWith("./keyless trust check cdk.out ", StringComparison.Ordinal)));
        Assert.DoesNotContain(root.Texts("validate", "script"), line => line.Contains("trust check", StringComparison.Ordinal));
        foreach (var deploy in new[] { "deploy-staging", "deploy-production" })
        {
            var needs = ((YamlDotNet.RepresentationModel.YamlSequenceNode)root.Get(deploy, "needs")!).Children.Cast<YamlDotNet.RepresentationModel.YamlMappingNode>();
            Assert.Contains(needs, need => need.Text("job") == "build");
        }
    }

    [Fact]
    public void Should_StoreNoSecret_When_TheFileSetsVariables()
    {
        // Given
        var text = CiYml;

        // Then: no access keys, no token, no password anywhere: only ID tokens minted per job
        foreach (var forbidden in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "CI_JOB_JWT", "PASSWORD" })
        {
            Assert.DoesNotContain(forbidden, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Should_BuildAndUploadTheReleaseOnlyInATagPipelineOfGitLab_When_TheBuildJobRuns()
    {
        // Given
        var script = Yaml.Load(CiYml).Texts("build", "script");

        // Then: the release is built and uploaded with the job's own token, on a tag only
        var publish = Assert.Single(script, line => line.Contains(".ci/publish", StringComparison.Ordinal));
        Assert.Equal("if [ -n \"${CI_COMMIT_TAG:-}\" ] && [ -n \"${CI_JOB_TOKEN:-}\" ]; then .ci/release artifacts/release && .ci/publish artifacts/release; fi", publish);
        var uploads = File.ReadAllText(Path.Combine(PipelineTools.RepositoryRoot, ".ci", "publish"));
        Assert.Contains("--header \"JOB-TOKEN: $CI_JOB_TOKEN\"", uploads, StringComparison.Ordinal);
        Assert.Contains("$CI_API_V4_URL/projects/$CI_PROJECT_ID/packages/generic/keyless/$version", uploads, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_CreateTheReleaseWithLinksToEveryUploadedFile_When_ProductionIsDeployedFromATag()
    {
        // Given
        var job = Yaml.Load(CiYml).Get("deploy-production")!;
        var links = (YamlDotNet.RepresentationModel.YamlSequenceNode)job.Get("release", "assets", "links")!;

        // Then: a release of the tag, in an image that has glab (which the release step runs), linking to
        // what .ci/release builds under the generic package's URL .ci/publish uploads to
        Assert.Equal("$CI_COMMIT_TAG", job.Text("release", "tag_name"));
        Assert.StartsWith("registry.gitlab.com/gitlab-org/cli:", job.Text("image"), StringComparison.Ordinal);
        const string Package = "$CI_API_V4_URL/projects/$CI_PROJECT_ID/packages/generic/keyless/$KEYLESS_PACKAGE_VERSION/";
        var files = links.Children.Select(link => link.Text("url")!).Select(url =>
        {
            Assert.StartsWith(Package, url, StringComparison.Ordinal);
            return url[Package.Length..];
        });
        Assert.Equal(
            ["Keyless.$KEYLESS_PACKAGE_VERSION.nupkg", "SHA256SUMS", "keyless-$KEYLESS_PACKAGE_VERSION-linux-arm64", "keyless-$KEYLESS_PACKAGE_VERSION-linux-musl-x64", "keyless-$KEYLESS_PACKAGE_VERSION-linux-x64"],
            files.Order(StringComparer.Ordinal));
    }

    private async Task<IReadOnlyList<PipelineJob>> ListAsync(PipelineRef gitRef)
    {
        using var repo = ScratchRepository.FromWorkingTree(PipelineFiles);
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, gitRef);
        return await new LocalPipelineRun(fixture.Tools, workspace).ListAsync();
    }

    [GeneratedRegex("<Project Path=\"([^\"]+)\"")]
    private static partial Regex ProjectPath();

    [GeneratedRegex(@"^[a-z0-9./-]+:v?\d+\.\d+\.\d+(-[a-z0-9.-]+)?(@sha256:[0-9a-f]{64})?$")]
    private static partial Regex PinnedImage();
}
