using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core.Configuration;
using Keyless.Trust.Evaluation;
using Spectre.Console.Testing;
using YamlDotNet.RepresentationModel;

namespace Keyless.Cli.Tests.Init;

/// <summary><c>keyless init</c> in a new user's repository: what it writes, what it proves, and that it never overwrites silently.</summary>
public sealed class InitTests
{
    private static readonly string[] Answers = ["--project-id", "61425730", "--aws-account", "111122223333", "--region", "eu-central-1", "--yes"];

    [Fact]
    public async Task Should_WriteAConfigAdmittingExactlyTheProjectAndItsRefs_When_RunWithYesInAFreshRepository()
    {
        using var repository = await InitRepository.CreateAsync();

        var result = await repository.InitAsync(Answers);

        CliAssert.ExitCode(0, result);
        var config = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        Assert.Equal(new GitLabSettings("https://gitlab.com", "acme/website", "61425730", null, "main", "sts.amazonaws.com"), config.GitLab);
        Assert.Equal(new AwsSettings("111122223333", "eu-central-1"), config.Aws);
        Assert.Equal(["staging: branch:main", "production: tag:v*"], config.Environments.Select(e => $"{e.Name}: {string.Join(",", e.Refs)}"));
        Assert.Contains("admits: projects \"acme/website\", branches \"main\"; aud \"sts.amazonaws.com\"; project_id \"61425730\"; ref_protected \"true\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("admits: projects \"acme/website\", tags matching \"v*\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("2 role(s) checked: 0 error(s), 0 warning(s)", result.Output, StringComparison.Ordinal);

        // The roles the written config implies let in main's job of this project, and neither another project nor another branch.
        Assert.Equal(["staging"], Allowed(config, "acme/website", "61425730", "branch", "main"));
        Assert.Equal(["production"], Allowed(config, "acme/website", "61425730", "tag", "v1.2.0"));
        Assert.Empty(Allowed(config, "acme/website", "61425730", "branch", "feature"));
        Assert.Empty(Allowed(config, "evil/website", "666", "branch", "main"));
    }

    [Fact]
    public async Task Should_WriteAPipelineWithTheFiveJobs_When_RunInAFreshRepository()
    {
        using var repository = await InitRepository.CreateAsync();

        CliAssert.ExitCode(0, await repository.InitAsync([.. Answers, "--audience", "https://gitlab.com"]));

        var yaml = new YamlStream();
        yaml.Load(new StringReader(repository.Read(".gitlab-ci.yml")));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (var job in new[] { "validate", "build", "test" })
        {
            Assert.True(root.Children.ContainsKey(job), $"no job {job}");
        }

        var includes = ((YamlSequenceNode)root["include"]).Children.Cast<YamlMappingNode>().ToList();
        var inputs = includes.Select(i => (YamlMappingNode)i["inputs"]).ToList();
        Assert.All(includes, i => Assert.EndsWith("/acme/keyless/deploy", ((YamlScalarNode)i["component"]).Value!.Split('@')[0], StringComparison.Ordinal));
        Assert.Equal(["staging", "production"], inputs.Select(i => ((YamlScalarNode)i["environment"]).Value));
        Assert.All(inputs, i => Assert.Equal("https://gitlab.com", ((YamlScalarNode)i["audience"]).Value));
        var rules = inputs.Select(i => (YamlMappingNode)((YamlSequenceNode)i["rules"]).Children.Single()).ToList();
        Assert.Equal("$CI_COMMIT_BRANCH == \"main\"", ((YamlScalarNode)rules[0]["if"]).Value);
        Assert.False(rules[0].Children.ContainsKey("when"));
        Assert.Equal("$CI_COMMIT_TAG =~ /^v.*$/", ((YamlScalarNode)rules[1]["if"]).Value);
        Assert.Equal("manual", ((YamlScalarNode)rules[1]["when"]).Value);
    }

    [Theory]
    [InlineData("git@gitlab.com:acme/website.git", "https://gitlab.com", "acme/website")]
    [InlineData("https://gitlab.com/acme/web/site.git", "https://gitlab.com", "acme/web/site")]
    [InlineData("ssh://git@gitlab.example.com:2222/platform/docs/handbook.git", "https://gitlab.example.com", "platform/docs/handbook")]
    [InlineData("https://deployer:glpat-secret123@code.example.org/team/site", "https://code.example.org", "team/site")]
    public async Task Should_TakeTheInstanceAndProjectFromTheRemote_When_ItIsSshOrHttps(string remote, string gitlab, string project)
    {
        using var repository = await InitRepository.CreateAsync(remote);

        var result = await repository.InitAsync(Answers);

        CliAssert.ExitCode(0, result);
        var config = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        Assert.Equal((gitlab, project), (config.GitLab.Url, config.GitLab.Project));
        Assert.DoesNotContain("glpat-secret123", result.All + repository.Read("keyless.json") + repository.Read(".gitlab-ci.yml"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_UseTheRemotesDefaultBranch_When_OriginHeadNamesOne()
    {
        using var repository = await InitRepository.CreateAsync();
        await repository.GitAsync("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk");

        CliAssert.ExitCode(0, await repository.InitAsync(Answers));

        var config = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        Assert.Equal("trunk", config.GitLab.DefaultBranch);
        Assert.Equal("branch:trunk", config.Environment("staging").Refs.Single().ToString());
    }

    [Fact]
    public async Task Should_ChangeNothing_When_RunASecondTime()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Answers));
        var before = Snapshot(repository);

        var second = await repository.InitAsync(Answers);

        CliAssert.ExitCode(0, second);
        Assert.Contains("unchanged keyless.json", second.Output, StringComparison.Ordinal);
        Assert.Contains("unchanged .gitlab-ci.yml", second.Output, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(repository));
    }

    [Fact]
    public async Task Should_ShowTheDiffAndKeepTheFile_When_KeylessJsonWasEditedAndThereIsNoConsent()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Answers));
        var edited = repository.Read("keyless.json").Replace("\"eu-central-1\"", "\"eu-west-1\"", StringComparison.Ordinal);
        repository.Write("keyless.json", edited);

        var result = await repository.InitAsync(Answers);

        CliAssert.ExitCode(0, result);
        Assert.Contains("differs   keyless.json", result.Output, StringComparison.Ordinal);
        Assert.Contains("-    \"region\": \"eu-west-1\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("+    \"region\": \"eu-central-1\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("left keyless.json as it is (--overwrite replaces it)", result.Output, StringComparison.Ordinal);
        Assert.Equal(edited, repository.Read("keyless.json"));

        var overwritten = await repository.InitAsync([.. Answers, "--overwrite"]);

        CliAssert.ExitCode(0, overwritten);
        Assert.Contains("replaced  keyless.json", overwritten.Output, StringComparison.Ordinal);
        Assert.Contains("\"eu-central-1\"", repository.Read("keyless.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_PrintTheLinesToAddAndNeverReplaceIt_When_ThePipelineExists()
    {
        using var repository = await InitRepository.CreateAsync();
        const string own = "pages:\n  script: [echo hi]\n";
        repository.Write(".gitlab-ci.yml", own);

        var result = await repository.InitAsync([.. Answers, "--overwrite"]);

        CliAssert.ExitCode(0, result);
        Assert.Equal(own, repository.Read(".gitlab-ci.yml"));
        Assert.Contains("exists    .gitlab-ci.yml (the pipeline): keyless does not change it. Add these lines to it:", result.Output, StringComparison.Ordinal);
        Assert.Contains("  - component: $CI_SERVER_FQDN/acme/keyless/deploy@", result.Output, StringComparison.Ordinal);

        // Once the lines are there, init has nothing more to say about the file.
        var start = result.Output.IndexOf("# One deploy job per environment", StringComparison.Ordinal);
        var lines = result.Output[start..result.Output.IndexOf("\nWho can get in", StringComparison.Ordinal)].TrimEnd() + "\n";
        repository.Write(".gitlab-ci.yml", own + "\n" + lines);
        var again = await repository.InitAsync(Answers);
        Assert.Contains("unchanged .gitlab-ci.yml", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_AskForWhatIsMissing_When_RunInATerminalWithoutYes()
    {
        using var repository = await InitRepository.CreateAsync();
        using var output = new TestConsole().Width(KeylessCli.ConsoleWidth).Interactive();
        using var errors = new TestConsole();
        foreach (var answer in new[] { "12x", "61425730", "98765432", "111122223333", "eu-central-1" })
        {
            output.Input.PushTextWithEnter(answer);
        }

        var exitCode = await KeylessApp.RunAsync(["init"], output, errors, new KeylessServices { WorkingFolder = repository.Path });

        Assert.True(exitCode == 0, output.Output + errors.Output);
        Assert.Contains("Expected the project's numeric ID", output.Output, StringComparison.Ordinal);
        var config = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        Assert.Equal(("61425730", "98765432", "111122223333", "eu-central-1"), (config.GitLab.ProjectId, config.GitLab.NamespaceId, config.Aws.Account, config.Aws.Region));
    }

    [Theory]
    [InlineData("y", true)]
    [InlineData("n", false)]
    public async Task Should_ReplaceAnEditedFileOnlyWhenTheAnswerIsYes_When_RunInATerminal(string answer, bool replaced)
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Answers));
        var edited = repository.Read("keyless.json").Replace("\"eu-central-1\"", "\"eu-west-1\"", StringComparison.Ordinal);
        repository.Write("keyless.json", edited);
        using var output = new TestConsole().Width(KeylessCli.ConsoleWidth).Interactive();
        using var errors = new TestConsole();
        output.Input.PushTextWithEnter(answer); // keyless.json
        output.Input.PushTextWithEnter(answer); // the template, which has the namespace ID too

        var exitCode = await KeylessApp.RunAsync(["init", .. Answers.SkipLast(1), "--namespace-id", "98765432"], output, errors, new KeylessServices { WorkingFolder = repository.Path });

        Assert.True(exitCode == 0, output.Output + errors.Output);
        Assert.Contains("Replace keyless.json with the generated one?", output.Output, StringComparison.Ordinal);
        Assert.Equal(replaced, repository.Read("keyless.json") != edited);
    }

    [Fact]
    public async Task Should_WriteTheGivenEnvironments_When_EnvIsGiven()
    {
        using var repository = await InitRepository.CreateAsync("https://gitlab.example.com/acme/website.git");

        var result = await repository.InitAsync("--aws-account", "111122223333", "--region", "eu-central-1", "--yes", "--env", "preview=branch:review/*", "--env", "production=tag:release-*,branch:stable");

        CliAssert.ExitCode(0, result);
        var config = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        Assert.Equal(["preview: branch:review/* manual=False", "production: tag:release-*,branch:stable manual=True"], config.Environments.Select(e => $"{e.Name}: {string.Join(",", e.Refs)} manual={e.Manual}"));
        Assert.Contains("- if: $CI_COMMIT_BRANCH =~ /^review\\/.*$/", repository.Read(".gitlab-ci.yml"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--project-id abc", "--project-id abc")]
    [InlineData("--aws-account 1234", "--aws-account 1234")]
    [InlineData("--region mars-north", "--region mars-north")]
    [InlineData("--site nowhere", "--site nowhere")]
    [InlineData("--site ../outside", "--site ../outside")]
    [InlineData("--gitlab-url http://gitlab.example.com", "--gitlab-url http://gitlab.example.com")]
    [InlineData("--project website", "--project website")]
    [InlineData("--env staging", "--env staging")]
    [InlineData("--env staging=main", "--env staging=main")]
    [InlineData("--env Staging=branch:main", "--env Staging=branch:main")]
    [InlineData("--env staging=branch:* --env production=branch:main", "overlap")]
    [InlineData("--component acme/keyless", "--component acme/keyless")]
    public async Task Should_ExitTwoNamingTheOption_When_AValueIsBad(string bad, string named)
    {
        using var repository = await InitRepository.CreateAsync();
        var given = bad.Split(' ');
        var args = Answers.SkipLast(1).Chunk(2).Where(pair => !given.Contains(pair[0])).SelectMany(pair => pair).Concat(["--yes", .. given]).ToArray();

        var result = await repository.InitAsync(args);

        CliAssert.UnusableInput(result);
        Assert.Contains(named, result.Errors, StringComparison.OrdinalIgnoreCase);
        Assert.False(repository.Exists("keyless.json"));
    }

    [Theory]
    [InlineData("git@github.com:acme/website.git", "github.com, which is not a GitLab instance")]
    [InlineData(null, "git remote get-url origin")]
    public async Task Should_ExitTwoNamingTheOptionsToPass_When_TheRemoteIsNotAGitLabProject(string? remote, string why)
    {
        using var repository = await InitRepository.CreateAsync(remote);

        var result = await repository.InitAsync(Answers);

        CliAssert.UnusableInput(result);
        Assert.Contains("--gitlab-url", result.Errors, StringComparison.Ordinal);
        Assert.Contains("--project (", result.Errors, StringComparison.Ordinal);
        Assert.Contains(why, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingEveryMissingOption_When_NotInATerminal()
    {
        using var repository = await InitRepository.CreateAsync(site: false);

        var result = await repository.InitAsync();

        CliAssert.UnusableInput(result);
        foreach (var option in new[] { "--project-id", "--aws-account", "--region", "--site" })
        {
            Assert.Contains(option + " (", result.Errors, StringComparison.Ordinal);
        }

        Assert.Contains("or run keyless init in a terminal to be asked", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_PrintWhatTheDocsShow_When_TheDocumentedExamplesRunInANewRepository()
    {
        // In the page's order, in one repository: the first run, then the re-runs that start from what it wrote.
        var examples = DocumentedExamples.FromReadme(File.ReadAllText(Path.Combine(Repo.Root, "docs", "init.md")), "docs/init.md").Where(e => e.Arguments[0] == "init").ToList();
        Assert.True(examples.Count >= 3, $"expected the first run and two re-runs in docs/init.md, found {examples.Count}");
        using var repository = await InitRepository.CreateAsync("git@gitlab.com:acme/website.git");

        foreach (var example in examples)
        {
            var result = (await KeylessProcess.RunAsync(repository.Path, example.Arguments)).AsCliResult();

            CliAssert.ExitCode(0, result);
            Assert.True(DocumentedExamples.Mismatch(example.ShownOutput, result.Output) is null, $"{example}: {DocumentedExamples.Mismatch(example.ShownOutput, result.Output)}\n{result.Output}");
        }

        Assert.True(repository.Exists(".gitlab-ci.yml"));
    }

    [Fact]
    public async Task Should_WriteTheTemplateOfTheConfigWhoseRolesAdmitExactlyItsRefs_When_TheAwsSideIsCloudFormation()
    {
        using var repository = await InitRepository.CreateAsync();

        var result = await repository.InitAsync(Answers);

        CliAssert.ExitCode(0, result);
        var config = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        Assert.Equal(Keyless.Stack.CloudFormationTemplate.For(config), repository.Read("keyless.template.json"));
        Assert.Contains("created   keyless.template.json (the AWS side, a CloudFormation template)", result.Output, StringComparison.Ordinal);
        Assert.Contains($"aws cloudformation deploy --template-file keyless.template.json --stack-name Keyless-acme-website --capabilities CAPABILITY_IAM --region eu-central-1", result.Output, StringComparison.Ordinal);
        Assert.Contains("aws cloudformation describe-stacks --stack-name Keyless-acme-website --region eu-central-1 > cdk-outputs.json", result.Output, StringComparison.Ordinal);

        // The template's roles, checked against the config as a user would: exactly its environments' refs.
        var check = await KeylessCli.RunAsync(new MapEnvironment(), null, "trust", "check", Path.Combine(repository.Path, "keyless.template.json"), "--config", Path.Combine(repository.Path, "keyless.json"), "--format", "json");
        CliAssert.ExitCode(0, check);
        var roles = System.Text.Json.Nodes.JsonNode.Parse(check.Output)!["roles"]!.AsArray();
        Assert.Equal(2, roles.Count);
        Assert.All(roles, r => Assert.DoesNotContain(r!["findings"]!.AsArray(), f => (string)f!["severity"]! == "error"));
    }

    [Fact]
    public async Task Should_WriteACdkAppInsteadOfTheTemplate_When_TheAwsSideIsCdk()
    {
        using var repository = await InitRepository.CreateAsync();

        var result = await repository.InitAsync([.. Answers, "--aws", "cdk"]);

        CliAssert.ExitCode(0, result);
        Assert.False(repository.Exists("keyless.template.json"));
        var config = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        const string Feed = "https://gitlab.com/api/v4/projects/acme%2Fkeyless/packages/nuget/index.json";
        foreach (var file in Keyless.Stack.CdkAppScaffold.Files(config, KeylessApp.Version.Split('+')[0], Feed))
        {
            Assert.Equal(file.Content, repository.Read(file.Path));
        }

        // Keyless.Cdk from the registry of the component's project on the remote's instance, the rest from nuget.org only
        var nuget = System.Xml.Linq.XDocument.Parse(repository.Read("nuget.config"));
        Assert.Equal(Feed, nuget.Descendants("add").Single(a => (string?)a.Attribute("key") == "keyless").Attribute("value")!.Value);
        Assert.Equal(["*"], nuget.Descendants("packageSource").Single(s => (string?)s.Attribute("key") == "nuget.org").Elements("package").Select(p => (string)p.Attribute("pattern")!));
        Assert.Equal(["Keyless.Cdk"], nuget.Descendants("packageSource").Single(s => (string?)s.Attribute("key") == "keyless").Elements("package").Select(p => (string)p.Attribute("pattern")!));
        Assert.Contains("cdk bootstrap aws://111122223333/eu-central-1 && cdk deploy --outputs-file cdk-outputs.json", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:oidc-provider/gitlab.com", true)]
    [InlineData("arn:aws:iam::999999999999:oidc-provider/gitlab.com", false)]
    [InlineData("arn:aws:iam::111122223333:oidc-provider/gitlab.example.com", false)]
    public async Task Should_ReferToTheAccountsProviderOrRefuseAnotherOne_When_OidcProviderIsGiven(string arn, bool accepted)
    {
        using var repository = await InitRepository.CreateAsync();

        var result = await repository.InitAsync([.. Answers, "--oidc-provider", arn]);

        if (accepted)
        {
            CliAssert.ExitCode(0, result);
            var template = repository.Read("keyless.template.json");
            Assert.DoesNotContain("AWS::IAM::OIDCProvider", template, StringComparison.Ordinal);
            Assert.Contains(arn, template, StringComparison.Ordinal);
        }
        else
        {
            CliAssert.UnusableInput(result);
            Assert.Contains($"--oidc-provider {arn}", result.Errors, StringComparison.Ordinal);
            Assert.False(repository.Exists("keyless.json"));
        }
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheFile_When_AGeneratedFileCannotBeWritten()
    {
        using var repository = await InitRepository.CreateAsync();
        Directory.CreateDirectory(Path.Combine(repository.Path, "keyless.template.json"));

        var result = await repository.InitAsync(Answers);

        CliAssert.ExitCode(Keyless.Core.ExitCodes.UnusableInput, result);
        Assert.Contains("keyless.template.json: is a folder", result.Errors, StringComparison.Ordinal);
        Assert.False(repository.Exists("keyless.json"));
        Assert.False(repository.Exists(".gitlab-ci.yml"));
    }

    private static List<string> Allowed(KeylessConfig config, string project, string projectId, string refType, string name)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1893456000);
        var claims = TokenClaims.Parse("claims", $$"""
            {"iss": "https://gitlab.com", "aud": "sts.amazonaws.com", "sub": "project_path:{{project}}:ref_type:{{refType}}:ref:{{name}}",
             "project_path": "{{project}}", "project_id": "{{projectId}}", "namespace_id": "1", "ref_type": "{{refType}}", "ref": "{{name}}", "ref_protected": "true",
             "iat": {{now.ToUnixTimeSeconds()}}, "nbf": {{now.ToUnixTimeSeconds()}}, "exp": {{now.ToUnixTimeSeconds() + 300}}}
            """);
        return [.. TokenAccess.ForConfig(claims, config, now).Where(a => a.Allowed).Select(a => a.Role)];
    }

    private static readonly string[] Generated = ["keyless.json", ".gitlab-ci.yml", "keyless.template.json"];

    private static Dictionary<string, (string, DateTime)> Snapshot(InitRepository repository) =>
        Generated.ToDictionary(f => f, f => (repository.Read(f), File.GetLastWriteTimeUtc(Path.Combine(repository.Path, f))));
}
