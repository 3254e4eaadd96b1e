using Keyless.Core.Configuration;
using Keyless.Local.Pipeline;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>The pieces without a process: ref slugs, masking, the closing report, the withheld environment.</summary>
public sealed class PipelinePartsTests
{
    [Theory]
    [InlineData("main", "main")]
    [InlineData("v1.0.0", "v1-0-0")]
    [InlineData("feature/Login_Page", "feature-login-page")]
    [InlineData("-x--y-", "x-y")]
    public void Should_SlugTheRefLikeGitLab_When_AskedForCiCommitRefSlug(string name, string slug) =>
        Assert.Equal(slug, PipelineRef.Branch(name).Slug);

    [Fact]
    public void Should_CutTheSlugAt63CharactersWithoutATrailingDash_When_TheRefIsLong()
    {
        // Given: the 63rd character of the slug is a dash
        var name = new string('a', 62) + "/b";

        // Then
        Assert.Equal(new string('a', 62), PipelineRef.Tag(name).Slug);
    }

    [Theory]
    [InlineData("refs/heads/main")]
    [InlineData("a b")]
    [InlineData("a..b")]
    [InlineData("v*")]
    public void Should_RefuseTheName_When_ItIsNotAShortRefName(string name) =>
        Assert.Throws<ArgumentException>(() => PipelineRef.Branch(name));

    [Fact]
    public void Should_MaskEverySecretButNoOtherValue_When_OutputIsMasked()
    {
        // Given
        PipelineVariable[] variables = [new("KEYLESS_ID_TOKEN", "tok-123456789", Secret: true), new("AWS_ENDPOINT_URL", "http://127.0.0.1:1")];

        // When
        var masked = LocalPipelineRun.Mask("a tok-123456789 b http://127.0.0.1:1 tok-123456789", variables);

        // Then
        Assert.Equal("a [MASKED] b http://127.0.0.1:1 [MASKED]", masked);
        Assert.Equal("KEYLESS_ID_TOKEN=[MASKED]", variables[0].ToString());
    }

    [Fact]
    public void Should_ReadEachJobsStatus_When_GitLabCiLocalPrintsItsClosingReport()
    {
        // Given: jobs as --list-json lists them, and the report of a run
        var jobs = LocalPipelineRun.ParseJobs("""
            [
              {"name": "validate", "stage": "validate", "when": "on_success", "allow_failure": false, "needs": []},
              {"name": "build", "stage": "build", "when": "on_success", "allow_failure": false, "needs": [{"job": "validate", "artifacts": false, "optional": false}]},
              {"name": "lint", "stage": "build", "when": "on_success", "allow_failure": true},
              {"name": "test", "stage": "test", "when": "on_success", "allow_failure": false},
              {"name": "deploy-staging", "stage": "deploy", "when": "never", "allow_failure": false},
              {"name": "deploy-production", "stage": "deploy", "when": "manual", "allow_failure": false}
            ]
            """);
        const string output = """
            validate $ echo PASS  build

             PASS  validate
             PASS  build
             WARN  build   after_script
             WARN  lint    pre_script
              > something went wrong
             FAIL  test
              > exit 1
            """;

        // When
        var statuses = LocalPipelineRun.Statuses(jobs, output, new LocalPipelineRequest());

        // Then
        Assert.Equal(["validate"], jobs[1].Needs);
        Assert.Equal(
            ["validate:Passed", "build:Passed", "lint:Warned", "test:Failed", "deploy-staging:NotInPipeline", "deploy-production:Manual"],
            statuses.Select(s => $"{s.Name}:{s.Status}"));
    }

    [Theory]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("AWS_PROFILE", true)]
    [InlineData("KEYLESS_ID_TOKEN", true)]
    [InlineData("CI_COMMIT_TAG", true)]
    [InlineData("GCL_VARIABLE_X", true)]
    [InlineData("GITLAB_CI", true)]
    [InlineData("MSBuildSDKsPath", true)]
    [InlineData("MSBUILD_EXE_PATH", true)]
    [InlineData("UseSharedCompilation", true)] // a GitLab runner's .NET image compiles with the compiler server
    [InlineData("PATH", false)]
    [InlineData("HOME", false)]
    [InlineData("DOTNET_ROOT", false)]
    [InlineData("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", false)]
    public void Should_WithholdHostVariablesAGitLabJobWouldNotHave_When_BuildingTheJobsEnvironment(string name, bool withheld) =>
        Assert.Equal(withheld, LocalPipelineRun.IsWithheld(name));

    [Theory]
    [InlineData("branch", "main", true)]
    [InlineData("branch", "develop", false)]
    [InlineData("tag", "v1.0.0", true)]
    [InlineData("tag", "1.0.0", false)]
    [InlineData("branch", "v1.0.0", false)]
    public void Should_TakeProtectionFromKeylessJson_When_TheRefMatchesAProtectedEnvironment(string type, string name, bool expected)
    {
        // Given
        var config = KeylessConfigParser.Parse("keyless.json", File.ReadAllText(Path.Combine(PipelineTools.RepositoryRoot, "keyless.json")));
        var gitRef = type == "tag" ? PipelineRef.Tag(name) : PipelineRef.Branch(name);

        // Then
        Assert.Equal(expected, PipelineWorkspace.IsProtected(config, gitRef));
    }
}
