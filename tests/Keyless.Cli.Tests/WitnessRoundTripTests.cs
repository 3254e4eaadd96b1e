using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary>
/// "Impossible to hijack" is shown, not claimed: every witness <c>trust check</c> prints for a bad example,
/// replayed through <c>trust simulate</c> against the same file, is a token STS would accept.
/// </summary>
public sealed class WitnessRoundTripTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public static TheoryData<string> BadExamples => [.. Repo.ExampleFiles("bad-*.json")];

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(BadExamples))]
    public async Task Should_BeAllowedBySimulate_When_WitnessComesFromCheck(string example)
    {
        var policy = Repo.Example(example);
        var (_, report) = await TrustRuns.CheckJsonAsync(policy);

        foreach (var finding in TrustRuns.Findings(report).Where(f => f.Witness is not null))
        {
            var replay = await TrustRuns.ReplayWitnessAsync(_temp, policy, finding.Witness!);

            // KL021's witness is a token the expectation names that the role would deny.
            var expected = finding.Rule == "KL021" ? ExitCodes.Failed : ExitCodes.Success;
            Assert.True(replay.ExitCode == expected, $"{example} {finding.Rule} witness {finding.Witness!.ToJsonString()}: expected exit {expected}, got {replay}");
        }
    }

    [Fact]
    public async Task Should_HaveWitnessesToReplay_When_BadExamplesAreChecked()
    {
        // Guards the theory above against passing vacuously: most bad examples admit someone they should not.
        var (_, report) = await TrustRuns.CheckJsonAsync(Repo.TrustExamples);

        var filesWithWitnesses = TrustRuns.Findings(report)
            .Where(f => f.Witness is not null && Path.GetFileName(f.Source).StartsWith("bad-", StringComparison.Ordinal))
            .Select(f => Path.GetFileName(f.Source))
            .Distinct()
            .ToList();

        Assert.True(filesWithWitnesses.Count >= 6, $"only {string.Join(", ", filesWithWitnesses)} have witnesses");
    }
}
