using System.Text.RegularExpressions;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core.Configuration;
using Spectre.Console.Testing;

namespace Keyless.Cli.Tests.Init;

/// <summary>
/// <c>keyless init</c> in a repository it has set up before: it starts from the keyless.json there, so a re-run
/// proposes only what the options change, and refreshes the other files.
/// </summary>
public sealed partial class InitRerunTests
{
    private static readonly string[] Answers = ["--project-id", "61425730", "--aws-account", "111122223333", "--region", "eu-central-1", "--yes"];

    // Environments a user chose: other names, refs, a manual one that is not production.
    private static readonly string[] Customised = [.. Answers, "--namespace-id", "98765432", "--env", "preview=branch:review/*", "--env", "production=tag:release-*,branch:stable"];

    [Fact]
    public async Task Should_ProposeNoChangeToKeylessJsonAndRefreshTheOtherFiles_When_RunAgainWithOnlyYes()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Customised));
        var config = repository.Read("keyless.json");
        var pipeline = repository.Read(".gitlab-ci.yml");
        var template = repository.Read("keyless.template.json");
        File.Delete(Path.Combine(repository.Path, ".gitlab-ci.yml"));
        repository.Write("keyless.template.json", "{}\n");

        var result = await repository.InitAsync("--yes", "--overwrite");

        CliAssert.ExitCode(0, result);
        Assert.Contains("unchanged keyless.json (the project config)", result.Output, StringComparison.Ordinal);
        Assert.Equal(config, repository.Read("keyless.json"));
        Assert.Contains("created   .gitlab-ci.yml", result.Output, StringComparison.Ordinal);
        Assert.Equal(pipeline, repository.Read(".gitlab-ci.yml"));
        Assert.Contains("replaced  keyless.template.json", result.Output, StringComparison.Ordinal);
        Assert.Equal(template, repository.Read("keyless.template.json"));
    }

    [Fact]
    public async Task Should_LeaveTheUsersLayoutAlone_When_KeylessJsonSaysWhatInitWouldWriteInOtherWords()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Customised));

        // The same settings with a comment, the schema and the defaults the parser fills in (site) left out.
        var parsed = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        var written = KeylessConfigWriter.Write(parsed with { Site = new SiteSettings("site", "dist") });
        var own = "// acme's website\n" + SiteSection().Replace(written, "");
        Assert.Equal(parsed.Site, KeylessConfigParser.Parse("keyless.json", own).Site);
        repository.Write("keyless.json", own);

        var result = await repository.InitAsync("--yes");

        CliAssert.ExitCode(0, result);
        Assert.Contains("unchanged keyless.json", result.Output, StringComparison.Ordinal);
        Assert.Equal(own, repository.Read("keyless.json"));
    }

    [Fact]
    public async Task Should_ShowOnlyWhatTheOptionChanges_When_AnOptionDiffersFromKeylessJson()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Customised));
        var before = repository.Read("keyless.json");

        var result = await repository.InitAsync("--yes", "--region", "eu-west-1");

        CliAssert.ExitCode(0, result);
        Assert.Contains("differs   keyless.json", result.Output, StringComparison.Ordinal);
        var changed = result.Output.Split('\n').Select(l => l.TrimEnd()).Where(l => DiffLine().IsMatch(l)).ToList();
        Assert.Equal(["    -    \"region\": \"eu-central-1\"", "    +    \"region\": \"eu-west-1\""], changed);
        Assert.Equal(before, repository.Read("keyless.json"));

        CliAssert.ExitCode(0, await repository.InitAsync("--yes", "--region", "eu-west-1", "--overwrite"));

        Assert.Equal(before.Replace("\"eu-central-1\"", "\"eu-west-1\"", StringComparison.Ordinal), repository.Read("keyless.json"));
    }

    [Fact]
    public async Task Should_GenerateThePipelineAndTheAwsSideFromKeylessJsonAsItIs_When_TheProposedChangeIsNotTaken()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Answers));
        var before = repository.Read("keyless.json");
        File.Delete(Path.Combine(repository.Path, ".gitlab-ci.yml"));
        File.Delete(Path.Combine(repository.Path, "keyless.template.json"));
        string[] change = ["--yes", "--audience", "keyless.example.com", "--aws-account", "444455556666"];

        var declined = await repository.InitAsync(change);

        CliAssert.ExitCode(0, declined);
        Assert.Equal(before, repository.Read("keyless.json"));
        var config = KeylessConfigParser.Parse("keyless.json", before);
        Assert.Equal(Keyless.Stack.CloudFormationTemplate.For(config), repository.Read("keyless.template.json"));
        Assert.DoesNotContain("keyless.example.com", repository.Read("keyless.template.json"), StringComparison.Ordinal);
        Assert.Contains("audience: sts.amazonaws.com", repository.Read(".gitlab-ci.yml"), StringComparison.Ordinal);
        Assert.DoesNotContain("keyless.example.com", repository.Read(".gitlab-ci.yml"), StringComparison.Ordinal);
        Assert.Contains("the pipeline and the AWS side follow keyless.json as it is in the repository; run init with --overwrite to take the proposed change", Flat(declined.Output), StringComparison.Ordinal);
        Assert.Contains("account 111122223333", Flat(declined.Output.Split("Next steps:")[1]), StringComparison.Ordinal);

        var taken = await repository.InitAsync([.. change, "--overwrite"]);

        CliAssert.ExitCode(0, taken);
        var changed = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        Assert.Equal(("keyless.example.com", "444455556666"), (changed.GitLab.Audience, changed.Aws.Account));
        Assert.Equal(Keyless.Stack.CloudFormationTemplate.For(changed), repository.Read("keyless.template.json"));
        Assert.Contains("keyless.example.com", repository.Read("keyless.template.json"), StringComparison.Ordinal);
        Assert.DoesNotContain("follow keyless.json as it is", Flat(taken.Output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_WriteNothingAndSayWhy_When_TheProviderFitsOnlyTheProposedChangeThatIsNotTaken()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Answers));
        var (config, template) = (repository.Read("keyless.json"), repository.Read("keyless.template.json"));
        File.Delete(Path.Combine(repository.Path, ".gitlab-ci.yml"));
        const string Arn = "arn:aws:iam::444455556666:oidc-provider/gitlab.com";

        var result = await repository.InitAsync("--yes", "--aws-account", "444455556666", "--oidc-provider", Arn);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--oidc-provider {Arn}: not the provider for https://gitlab.com in account 111122223333", Flat(result.Errors), StringComparison.Ordinal);
        Assert.Contains("keyless.json was left as it is and the AWS side follows it, so init wrote nothing: pass --overwrite", Flat(result.Errors), StringComparison.Ordinal);
        Assert.Equal((config, template), (repository.Read("keyless.json"), repository.Read("keyless.template.json")));
        Assert.False(repository.Exists(".gitlab-ci.yml"));

        CliAssert.ExitCode(0, await repository.InitAsync("--yes", "--aws-account", "444455556666", "--oidc-provider", Arn, "--overwrite"));
        Assert.Contains(Arn, repository.Read("keyless.template.json"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_MoveTheDefaultEnvironmentsToTheNewBranch_When_DefaultBranchIsGivenOnARerun()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Answers));

        CliAssert.ExitCode(0, await repository.InitAsync("--yes", "--default-branch", "trunk", "--overwrite"));

        var config = KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json"));
        Assert.Equal(("trunk", "61425730"), (config.GitLab.DefaultBranch, config.GitLab.ProjectId));
        Assert.Equal(["staging: branch:trunk", "production: tag:v*"], config.Environments.Select(e => $"{e.Name}: {string.Join(",", e.Refs)}"));
    }

    [Fact]
    public async Task Should_AskForTheProjectsIds_When_AnotherProjectIsGivenOnARerun()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync([.. Answers, "--namespace-id", "98765432"]));

        var result = await repository.InitAsync("--yes", "--project", "acme/handbook");

        // The IDs in keyless.json are acme/website's: pinned in acme/handbook's roles they would admit nobody, or the wrong project.
        CliAssert.UnusableInput(result);
        Assert.Contains("--project-id (", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("--aws-account", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_AskNothing_When_RunAgainInATerminal()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Answers));
        var before = repository.Read("keyless.json");
        using var output = new TestConsole().Width(KeylessCli.ConsoleWidth).Interactive();
        using var errors = new TestConsole();

        var exitCode = await KeylessApp.RunAsync(["init"], output, errors, new KeylessServices { WorkingFolder = repository.Path });

        Assert.True(exitCode == 0, output.Output + errors.Output);
        Assert.DoesNotContain("?", output.Output.Split("Who can get in")[0], StringComparison.Ordinal);
        Assert.Contains("unchanged keyless.json", output.Output, StringComparison.Ordinal);
        Assert.Equal(before, repository.Read("keyless.json"));
    }

    [Theory]
    [InlineData("{\n  \"gitlab\": {\n    \"url\": \"https://gitlab.com\",\n", "keyless.json: not valid JSON")]
    [InlineData("{\"gitlab\": {\"url\": \"https://gitlab.com\", \"project\": \"acme/website\", \"projectId\": \"61425730\"}, \"aws\": {\"account\": \"1234\", \"region\": \"eu-central-1\"}}", "keyless.json: at $.aws.account: found \"1234\"")]
    [InlineData("{\"gitlab\": {\"url\": \"https://gitlab.com\", \"project\": \"acme/website\", \"projectId\": \"61425730\"}, \"aws\": {\"account\": \"111122223333\", \"region\": \"eu-central-1\"}, \"environments\": {\"a\": {\"refs\": [\"branch:*\"]}, \"b\": {\"refs\": [\"branch:main\"]}}}", "keyless.json: at $.environments: the refs of \"a\"")]
    public async Task Should_ExitTwoNamingTheFileAndHowToGoOnAndWriteNothing_When_KeylessJsonIsUnusable(string content, string named)
    {
        using var repository = await InitRepository.CreateAsync();
        repository.Write("keyless.json", content);

        // Every value given as an option: init needs nothing from the file, and still does not pass over it.
        var result = await repository.InitAsync([.. Answers, "--overwrite"]);

        CliAssert.UnusableInput(result);
        var message = Flat(result.Errors);
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Contains($"fix that file and run init again, or move it away (e.g. mv keyless.json keyless.json.old) to start over", message, StringComparison.Ordinal);
        Assert.Contains(repository.Path, message, StringComparison.Ordinal);
        Assert.Equal(content, repository.Read("keyless.json"));
        Assert.False(repository.Exists(".gitlab-ci.yml") || repository.Exists("keyless.template.json"));
    }

    [Fact]
    public async Task Should_NameTheFileAndTheOption_When_TheSiteFolderOfKeylessJsonIsGone()
    {
        using var repository = await InitRepository.CreateAsync();
        CliAssert.ExitCode(0, await repository.InitAsync(Answers));
        Directory.Move(Path.Combine(repository.Path, "site"), Path.Combine(repository.Path, "public"));

        var refused = await repository.InitAsync("--yes");
        var moved = await repository.InitAsync("--yes", "--site", "public", "--overwrite");

        CliAssert.UnusableInput(refused);
        Assert.Contains("keyless.json: site.source site: there is no such folder", refused.Errors, StringComparison.Ordinal);
        Assert.Contains("--site DIR", Flat(refused.Errors), StringComparison.Ordinal);
        CliAssert.ExitCode(0, moved);
        Assert.Equal("public", KeylessConfigParser.Parse("keyless.json", repository.Read("keyless.json")).Site.Source);
    }

    [Theory]
    [InlineData("--region")]
    [InlineData("--env")]
    public async Task Should_CutALongValueAt40Characters_When_InitQuotesIt(string option)
    {
        using var repository = await InitRepository.CreateAsync();
        var value = new string('x', 55);

        var result = await repository.InitAsync([.. Answers.Where(a => a is not ("--region" or "eu-central-1")), option, value]);

        CliAssert.UnusableInput(result);
        Assert.Contains($"{option} {value[..40]}…", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(value[..41], result.Errors, StringComparison.Ordinal);
    }

    private static string Flat(string text) => Whitespace().Replace(text, " ");

    // A changed line of the diff init prints (indented by four), not its ---/+++ header.
    [GeneratedRegex(@"^    [-+](?![-+]{2} )")]
    private static partial Regex DiffLine();

    [GeneratedRegex(@"  ""site"": \{[^}]*\},\n")]
    private static partial Regex SiteSection();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
