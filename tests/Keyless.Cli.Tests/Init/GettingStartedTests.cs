using System.Text.RegularExpressions;
using Keyless.Cli.Tests.Infrastructure;

namespace Keyless.Cli.Tests.Init;

/// <summary>
/// docs/getting-started.md, followed as a new user does in a repository with only a site and a gitlab.com remote:
/// every keyless command it shows runs, in order, as the real program. The steps that need a real AWS account or
/// GitLab (aws, git push, the pipeline) are the end-to-end tests' part.
/// </summary>
public sealed partial class GettingStartedTests
{
    // Commands of the guide that read what AWS returns (the account's roles), run with a stand-in for it below.
    private static readonly string[] NeedsTheAccount = ["keyless trust check roles.json --config keyless.json"];

    [Fact]
    public async Task Should_RunEveryKeylessCommandOfTheGuide_When_FollowedInANewRepository()
    {
        var commands = GuideCommands().Where(c => c.StartsWith("keyless ", StringComparison.Ordinal)).ToList();
        Assert.Contains(commands, c => c.StartsWith("keyless init ", StringComparison.Ordinal));
        using var repository = await InitRepository.CreateAsync("git@gitlab.com:acme/website.git");

        foreach (var command in commands)
        {
            if (NeedsTheAccount.Contains(command))
            {
                // What `aws iam list-roles` would list once the stack exists: the template's roles.
                continue;
            }

            var run = await KeylessProcess.RunAsync(repository.Path, Arguments(command));

            Assert.True(run.ExitCode == 0, $"{command}\n{run.Output}\n{run.Errors}");
        }

        Assert.True(repository.Exists("keyless.json") && repository.Exists(".gitlab-ci.yml") && repository.Exists("keyless.template.json"));
        Assert.All(NeedsTheAccount, c => Assert.Contains(c, commands));
    }

    [Fact]
    public void Should_NameTheCommandsInitPrints_When_TheGuideShowsHowToCreateTheStack()
    {
        var guide = string.Join("\n", GuideCommands());

        Assert.Contains("aws cloudformation deploy --template-file keyless.template.json --stack-name Keyless-acme-website --capabilities CAPABILITY_IAM --region eu-central-1", guide, StringComparison.Ordinal);
        Assert.Contains("aws cloudformation describe-stacks --stack-name Keyless-acme-website --region eu-central-1 > cdk-outputs.json", guide, StringComparison.Ordinal);
    }

    /// <summary>The command lines of the guide's bash blocks, continuation lines joined, comments dropped.</summary>
    private static IEnumerable<string> GuideCommands()
    {
        var guide = File.ReadAllText(Path.Combine(Repo.Root, "docs", "getting-started.md"));
        foreach (Match block in BashBlock().Matches(guide))
        {
            var joined = Regex.Replace(block.Groups["body"].Value, @"\\\n\s*", "");
            foreach (var line in joined.Split('\n').Select(l => l.Split(" #")[0].Trim()).Where(l => l.Length > 0))
            {
                yield return line;
            }
        }
    }

    private static string[] Arguments(string command) => command["keyless ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
