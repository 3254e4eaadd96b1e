using System.Text;
using Keyless.Core.Configuration;

namespace Keyless.Core.Scaffolding;

/// <summary>
/// The project's <c>.gitlab-ci.yml</c>, from keyless.json: validate, build and test the site with the keyless .NET
/// tool, then one deploy job per environment from keyless's CI/CD component, with the configured audience and
/// rules that run it for exactly the refs its role admits.
/// </summary>
public sealed class PipelineFile : IGeneratedFiles
{
    public const string Path = ".gitlab-ci.yml";

    public IEnumerable<GeneratedFile> Files(ProjectSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        yield return Generate(setup);
    }

    public static GeneratedFile Generate(ProjectSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var config = setup.Config;
        var component = ComponentReference.Parse(setup.Component);
        var site = config.Site;
        var text = new StringBuilder();
        text.Append($"""
            # The pipeline of {config.GitLab.Project}, written by `keyless init`: check, build and test the site, then
            # deploy it to AWS without a stored secret.
            #
            {Diagram(config)}
            #
            # The deploy jobs come from keyless's CI/CD component ({component.Path}). Each trades the job's
            # GitLab ID token (audience {config.GitLab.Audience}: gitlab.audience in keyless.json) with AWS STS for
            # one-hour credentials of its environment's role, which admits only this project and the environment's refs.
            # Keep each job's rules in step with the environment's refs in keyless.json: the role admits no other ref.
            # `keyless trust check` shows whom the roles admit.

            stages: [validate, build, test, deploy]

            # keyless as a .NET tool, from the package registry of the project that publishes the component.
            .keyless:
              image: mcr.microsoft.com/dotnet/sdk:10.0
              variables:
                DOTNET_CLI_TELEMETRY_OPTOUT: "1"
                DOTNET_NOLOGO: "1"
              before_script:
                - dotnet tool install Keyless --tool-path .keyless/tools{(component.Version is { } version ? " --version " + version : "")} --add-source "{component.NuGetFeed("$CI_API_V4_URL")}"
                - export PATH="$PWD/.keyless/tools:$PATH"

            # The site's pages ({site.Source}/, site.source in keyless.json): broken links, missing assets and anchors, mixed content.
            validate:
              extends: .keyless
              stage: validate
              script:
                - keyless site check

            # The site with its assets renamed after their content, into {site.Output}/ for the deploy jobs.
            build:
              extends: .keyless
              stage: build
              script:
                - keyless site build
              artifacts:
                paths: [{YamlText.Scalar(site.Output + "/")}]

            # The built site, checked again as it will be served.
            test:
              extends: .keyless
              stage: test
              needs: [build]
              script:
                - keyless site check --site {site.Output}

            """);
        text.Append('\n').Append(Includes(config, setup.Component));
        return new GeneratedFile(Path, text.ToString(), "the pipeline") { LinesToAdd = Includes(config, setup.Component) };
    }

    /// <summary>The deploy jobs: one include of the component per environment.</summary>
    private static string Includes(KeylessConfig config, string component)
    {
        var text = new StringBuilder("# One deploy job per environment of keyless.json, named deploy-<environment>.\ninclude:\n");
        foreach (var environment in config.Environments)
        {
            text.Append($"""
                  # {Summary(environment)}
                  - component: {YamlText.Scalar(component)}
                    inputs:
                      environment: {YamlText.Scalar(environment.Name)}
                      deployment_tier: {Tier(environment.Name)}
                      audience: {YamlText.Scalar(config.GitLab.Audience)}
                      site: {YamlText.Scalar(config.Site.Output)}
                      needs: [build, test] # the jobs the deploy waits for; one of them has {config.Site.Output}/ as an artifact
                      rules:

                """);
            foreach (var rule in environment.Refs)
            {
                text.Append($"        - if: {YamlText.Scalar(PipelineRules.If(rule))}\n");
                if (environment.Manual)
                {
                    text.Append("          when: manual\n");
                }
            }
        }

        return text.ToString();
    }

    private static string Diagram(KeylessConfig config)
    {
        var lines = config.Environments.Select((e, i) =>
            (i == 0 ? "#   validate ── build ── test ──" : "#                               ")
            + (config.Environments.Count == 1 ? "── " : i == 0 ? "┬── " : i == config.Environments.Count - 1 ? "└── " : "├── ")
            + Summary(e));
        return string.Join("\n", lines);
    }

    private static string Summary(EnvironmentSettings environment) =>
        $"deploy-{environment.Name}  ({string.Join(", ", environment.Refs.Select(r => $"{(r.Type == "branch" ? "branch" : "tags")} {r.Pattern}"))}{(environment.ProtectedOnly ? ", protected" : "")}{(environment.Manual ? ", manual" : "")})";

    // GitLab's deployment tiers; an environment of another name is "other".
    private static string Tier(string environment) =>
        environment is "production" or "staging" or "testing" or "development" ? environment : "other";
}
