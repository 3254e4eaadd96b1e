using Keyless.Core;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>The help of each command lists the contract.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("deploy", "--site <DIR>", "--env <NAME>", "--bucket <NAME>", "--prefix <PREFIX>", "--region <REGION>", "--distribution <ID>", "--release <ID>", "--dry-run", "--concurrency <N>", "--format <FORMAT>", "--wait", "--dotenv <FILE>", "--verify-url <URL>", "--url <URL>", "--retain <N>", "--cache-control <GLOB=VALUE>")]
    [InlineData("rollback", "--env <NAME>", "--bucket <NAME>", "--prefix <PREFIX>", "--to <RELEASE>", "--format <FORMAT>")]
    [InlineData("releases", "--env <NAME>", "--bucket <NAME>", "--prefix <PREFIX>", "--format <FORMAT>")]
    [InlineData("prune", "--env <NAME>", "--bucket <NAME>", "--prefix <PREFIX>", "--dry-run")]
    public async Task Should_ListTheContractOptions_When_HelpIsAsked(string command, params string[] options)
    {
        var result = await KeylessCli.RunAsync(new MapEnvironment(), null, command, "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.All(options, option => Assert.Contains(option, result.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_AskForATarget_When_NeitherEnvNorBucketIsGiven()
    {
        var result = await KeylessCli.RunAsync(new MapEnvironment(), null, "releases");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("--env NAME", result.Errors, StringComparison.Ordinal);
        Assert.Contains("--bucket NAME", result.Errors, StringComparison.Ordinal);
    }
}
