using CsCheck;
using Keyless.Local.Pipeline;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>Job events read from gitlab-ci-local's lines, and the board they update.</summary>
public sealed class JobEventsTests
{
    private static readonly string[] Jobs = ["build", "build-docs", "deploy-staging"];
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData("build          starting shell (build)", "build", JobPhase.Started)]
    [InlineData("build-docs     starting shell (build)", "build-docs", JobPhase.Started)]
    [InlineData("build          finished in 41 s", "build", JobPhase.Passed)]
    [InlineData("deploy-staging finished in 1.37 min", "deploy-staging", JobPhase.Passed)]
    [InlineData("build          finished in 873 ms  FAIL 1 ", "build", JobPhase.Failed)]
    [InlineData("build-docs     finished in 2.1 min  WARN 2 ", "build-docs", JobPhase.Warned)]
    public void Should_ReadTheJobAndWhatHappened_When_GitLabCiLocalReportsAJobsStartOrEnd(string line, string job, JobPhase phase) =>
        Assert.Equal(new JobEvent(job, phase), new JobEventParser(Jobs).Parse(line));

    [Theory]
    [InlineData("build          > finished in 41 s")]
    [InlineData("build          $ echo starting shell (build)")]
    [InlineData("build          finished in 3 s  WARN 1  after_script")]
    [InlineData("build          exported artifacts in 198 ms")]
    [InlineData("lint           finished in 41 s")]
    [InlineData(" PASS  build")]
    [InlineData("buildx finished in 41 s")]
    public void Should_ReadNoEvent_When_TheLineIsAJobsOwnOutputOrAnotherMessage(string line) =>
        Assert.Null(new JobEventParser(Jobs).Parse(line));

    [Fact]
    public void Should_NeverTakeAJobsOwnOutputForAnEvent_When_TheJobPrintsAnything() =>
        Gen.Select(Gen.Int[0, Jobs.Length - 1].Select(i => Jobs[i]), Gen.Bool.Select(b => b ? ">" : "$"), Gen.String[Gen.Char["abz019 ()$>.-_\tFAILWARNstartingfinished"], 0, 60])
            .Sample((job, marker, text) => new JobEventParser(Jobs).Parse($"{job.PadRight(15)}{marker} {text}") is null);

    [Fact]
    public void Should_ReportTheStartFirst_When_AJobsEndIsReadBeforeItsStart()
    {
        // Given: a job that failed at once, its end (standard error) read before its start (standard output)
        var sequence = new JobEventSequence(Jobs);

        // When
        string[] lines = ["build          finished in 873 ms  FAIL 1 ", "build          starting shell (build)", "build-docs     starting shell (build)", "build-docs     finished in 2 s"];
        var events = lines.SelectMany(sequence.Read).ToList();

        // Then
        Assert.Equal(
            [new("build", JobPhase.Started), new("build", JobPhase.Failed), new("build-docs", JobPhase.Started), new JobEvent("build-docs", JobPhase.Passed)],
            events);
    }

    [Fact]
    public void Should_TrackEachJobFromPendingToItsEnd_When_EventsArrive()
    {
        // Given: the jobs of a default-branch pipeline, production's manual job not started
        var board = new JobBoard();
        PipelineJob[] jobs =
        [
            new("validate", "validate", "on_success", false, []),
            new("test", "test", "on_success", false, ["validate"]),
            new("deploy-staging", "deploy", "on_success", false, ["test"]),
            new("deploy-production", "deploy", "manual", false, ["test"]),
            new("deploy-review", "deploy", "never", false, ["test"]),
        ];

        // When
        board.Plan("branch:main", jobs, manual: []);
        board.Apply("branch:main", new("validate", JobPhase.Started), Start);
        var passed = board.Apply("branch:main", new("validate", JobPhase.Passed), Start.AddSeconds(161));
        board.Apply("branch:main", new("test", JobPhase.Started), Start.AddSeconds(162));
        var failed = board.Apply("branch:main", new("test", JobPhase.Failed), Start.AddSeconds(200));
        var unknown = board.Apply("branch:main", new("deploy-production", JobPhase.Started), Start.AddSeconds(201));
        var closed = board.Close("branch:main", Start.AddSeconds(202));

        // Then
        Assert.Null(unknown);
        Assert.Equal(TimeSpan.FromSeconds(161), passed!.Duration(Start.AddHours(1)));
        Assert.Equal(JobState.Failed, failed!.State);
        Assert.Equal([new JobRow("branch:main", "deploy-staging", JobState.Skipped)], closed);
        Assert.Equal(
            [("validate", JobState.Passed), ("test", JobState.Failed), ("deploy-staging", JobState.Skipped)],
            board.Rows.Select(r => (r.Job, r.State)));
    }

    [Fact]
    public void Should_ShowTheManualJob_When_TheRunStartsIt()
    {
        // Given
        var board = new JobBoard();

        // When
        var planned = board.Plan("tag:v1.0.0", [new("deploy-production", "deploy", "manual", false, [])], manual: ["deploy-production"]);
        board.Apply("tag:v1.0.0", new("deploy-production", JobPhase.Started), Start);
        var running = board.Close("tag:v1.0.0", Start.AddSeconds(5));

        // Then: listed, and failed when the run ended under it
        Assert.Single(planned);
        Assert.Equal(JobState.Failed, Assert.Single(running).State);
        Assert.Equal(TimeSpan.FromSeconds(5), running[0].Duration(Start.AddHours(1)));
    }
}
