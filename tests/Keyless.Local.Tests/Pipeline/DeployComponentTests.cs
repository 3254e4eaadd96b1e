using Keyless.Local.Pipeline;
using YamlDotNet.RepresentationModel;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>The CI/CD component <c>templates/deploy.yml</c>: its <c>spec:inputs</c> header, and the job it becomes
/// when a project includes it (gitlab-ci-local resolves a component of the project itself at
/// <c>$CI_COMMIT_SHA</c>, as GitLab does for testing a component in its own project).</summary>
[Collection(PipelineRuns.Name)]
public sealed class DeployComponentTests(PipelineTools fixture)
{
    private static readonly string[] InputTypes = ["string", "array", "boolean", "number"];

    private static string Component => File.ReadAllText(Path.Combine(PipelineTools.RepositoryRoot, "templates", "deploy.yml"));

    [Fact]
    public void Should_DeclareTypedDocumentedInputsAboveTheJob_When_ParsedAsYaml()
    {
        // Given / When
        var documents = Yaml.Documents(Component);

        // Then: a spec header, then the job, separated by ---
        Assert.Equal(2, documents.Count);
        var inputs = Assert.IsType<YamlMappingNode>(documents[0].Get("spec", "inputs"));
        Assert.Equal(["spec"], documents[0].Keys());
        foreach (var (key, value) in inputs.Children)
        {
            var name = ((YamlScalarNode)key).Value;
            Assert.False(string.IsNullOrWhiteSpace(value.Text("description")), $"input {name} has no description");
            Assert.Contains(value.Text("type"), InputTypes);
        }

        Assert.Null(inputs.Get("environment", "default")); // required
        Assert.Equal("dist", inputs.Text("site", "default"));
        Assert.Equal("sts.amazonaws.com", inputs.Text("audience", "default"));
        Assert.Equal("", inputs.Text("role_arn", "default"));
        Assert.Equal("deploy", inputs.Text("stage", "default"));
        Assert.Equal("array", inputs.Text("rules", "type"));
        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime-deps:", inputs.Text("keyless_image", "default"), StringComparison.Ordinal);
        Assert.Matches(@"^\d+\.\d+\.\d+$", inputs.Text("version", "default")); // the component's own release; .ci/publish checks it against the tag
        Assert.Matches(@"^\$CI_API_V4_URL/projects/[^/]+/packages/generic/keyless$", inputs.Text("source", "default"));
        Assert.Equal("", inputs.Text("sha256", "default"));
        Assert.Equal("", inputs.Text("keyless", "default")); // download unless told otherwise
        Assert.Equal("", inputs.Text("retain", "default"));
        Assert.Equal(["deploy-$[[ inputs.environment ]]"], documents[1].Keys());
    }

    [Fact]
    public async Task Should_BecomeAKeylessDeployJobPerEnvironment_When_IncludedWithInputs()
    {
        // Given: a project that includes the component twice
        using var repo = ScratchRepository.Create(new Dictionary<string, string>
        {
            ["templates/deploy.yml"] = Component,
            [".gitlab-ci.yml"] = """
                stages: [build, deploy]
                build:
                  stage: build
                  script: [echo build]
                include:
                  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/deploy@$CI_COMMIT_SHA
                    inputs:
                      environment: staging
                      deployment_tier: staging
                  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/deploy@$CI_COMMIT_SHA
                    inputs:
                      environment: production
                      deployment_tier: production
                      role_arn: arn:aws:iam::111122223333:role/production-deploy
                      rules:
                        - if: $CI_COMMIT_TAG =~ /^v/
                          when: manual
                """,
        });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });
        var run = new LocalPipelineRun(fixture.Tools, workspace);

        // When
        var jobs = await run.ListAsync();
        var preview = Yaml.Load(await run.PreviewAsync());

        // Then: the default rules put staging in a default-branch pipeline; production's rules keep it out
        Assert.Equal(["build:on_success", "deploy-production:never", "deploy-staging:on_success"], jobs.Select(j => $"{j.Name}:{j.When}").Order(StringComparer.Ordinal));
        var production = preview.Get("deploy-production")!;
        Assert.Equal("sts.amazonaws.com", production.Text("id_tokens", "KEYLESS_ID_TOKEN", "aud"));
        Assert.Equal("production", production.Text("environment", "name"));
        Assert.Equal("production", production.Text("environment", "deployment_tier"));
        Assert.Equal("$KEYLESS_ENVIRONMENT_URL", production.Text("environment", "url"));
        Assert.Equal("production", production.Text("resource_group"));
        Assert.Equal("arn:aws:iam::111122223333:role/production-deploy", production.Text("variables", "KEYLESS_ROLE_ARN"));
        Assert.Equal("deploy.env", production.Text("artifacts", "reports", "dotenv"));
        var script = production.Texts("script");
        Assert.Equal(2, script.Count); // install (download and verify, unless a keyless command is given), then deploy
        Assert.Contains("sha256sum -c", script[0], StringComparison.Ordinal);
        Assert.StartsWith("$KEYLESS_COMMAND deploy --site \"dist\" --env \"production\"", script[1], StringComparison.Ordinal);
        Assert.Equal("", production.Text("variables", "KEYLESS_COMMAND"));
        Assert.Equal("", preview.Text("deploy-staging", "variables", "KEYLESS_ROLE_ARN"));
    }

    [Fact]
    public async Task Should_RefuseTheInclude_When_ARequiredInputIsMissingOrATierIsUnknown()
    {
        // Given
        using var repo = ScratchRepository.Create(new Dictionary<string, string>
        {
            ["templates/deploy.yml"] = Component,
            [".gitlab-ci.yml"] = """
                include:
                  - component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/deploy@$CI_COMMIT_SHA
                    inputs:
                      deployment_tier: prod
                """,
        });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });

        // When
        var error = await Assert.ThrowsAsync<Keyless.Core.KeylessException>(() => new LocalPipelineRun(fixture.Tools, workspace).ListAsync());

        // Then
        Assert.Contains("input", error.Message, StringComparison.Ordinal);
    }
}
