using Keyless.Cli.Rendering;
using Keyless.Local.Pipeline;
using Spectre.Console.Testing;

namespace Keyless.Cli.Tests;

/// <summary>What <c>keyless local up</c> shows of its pipelines: the job board, and its log lines without a terminal.</summary>
public sealed class LocalUpViewTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly PipelineRef Main = PipelineRef.Branch("main");
    private static readonly PipelineRef Release = PipelineRef.Tag("v1.0.0");

    private static readonly PipelineJob[] Jobs =
    [
        new("validate", "validate", "on_success", false, []),
        new("build", "build", "on_success", false, ["validate"]),
        new("deploy-staging", "deploy", "on_success", false, ["build"]),
    ];

    [Fact]
    public void Should_ShowEachJobWithItsStatusAndTime_When_ThePipelineIsHalfWayThrough()
    {
        // Given
        var board = new JobBoard();
        board.Plan(Main.ToString(), Jobs, []);
        board.Apply(Main.ToString(), new("validate", JobPhase.Started), Start);
        board.Apply(Main.ToString(), new("validate", JobPhase.Passed), Start.AddSeconds(192));
        board.Apply(Main.ToString(), new("build", JobPhase.Started), Start.AddSeconds(193));

        // When
        var lines = LocalUpView.Lines(board.Rows, Start.AddSeconds(250));

        // Then: aligned columns; the running job's time so far, none for a job not started
        Assert.Equal(
            [
                "branch:main  validate        passed   3:12",
                "branch:main  build           running  0:57",
                "branch:main  deploy-staging  pending",
            ],
            lines);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(59.9, "0:59")]
    [InlineData(61, "1:01")]
    [InlineData(3599, "59:59")]
    [InlineData(3723, "1:02:03")]
    public void Should_WriteMinutesAndSeconds_When_ShowingADuration(double seconds, string text) =>
        Assert.Equal(text, LocalUpView.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task Should_PrintOneLinePerJobChangeAndEachUrlWhenItsPipelineEnds_When_TheConsoleIsNoTerminal()
    {
        // Given: no terminal, a clock the run moves, a log file
        var console = new TestConsole().Width(200);
        var clock = new ManualClock(Start);
        using var log = new StringWriter();
        var screen = new LocalUpScreen(console, clock, log, live: false);

        // When: a run that starts the cloud, then runs two pipelines; the second one's deploy fails
        var printedBeforeProduction = "";
        var result = await screen.RunAsync(progress =>
        {
            progress.Log("moto_server      http://127.0.0.1:5000");
            foreach (var (gitRef, environment) in new[] { (Main, "staging"), (Release, "production") })
            {
                progress.Planned!(gitRef, Jobs, []);
                foreach (var job in Jobs.Select(j => j.Name))
                {
                    progress.Job!(gitRef, new(job, JobPhase.Started));
                    progress.Log($"{job} > compiling…");
                    clock.Advance(TimeSpan.FromSeconds(65));
                    var fails = gitRef.IsTag && job == "build";
                    progress.Job(gitRef, new(job, fails ? JobPhase.Failed : JobPhase.Passed));
                    if (fails)
                    {
                        break;
                    }
                }

                progress.Ended!(gitRef, new LocalPipelineResult(gitRef.IsTag ? 1 : 0, [], "", [], TimeSpan.Zero));
                if (!gitRef.IsTag)
                {
                    progress.Served!(environment, "http://127.0.0.1:6001");
                    printedBeforeProduction = console.Output;
                }
            }

            return Task.FromResult(42);
        });

        // Then: the cloud's lines, then the jobs only; staging's URL as soon as its pipeline deployed it
        Assert.Equal(42, result);
        Assert.EndsWith("staging: http://127.0.0.1:6001 (deployed 3:15 after the start)\n", printedBeforeProduction.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(
            [
                "moto_server      http://127.0.0.1:5000",
                "03:04:05 branch:main validate running",
                "03:05:10 branch:main validate passed 1:05",
                "03:05:10 branch:main build running",
                "03:06:15 branch:main build passed 1:05",
                "03:06:15 branch:main deploy-staging running",
                "03:07:20 branch:main deploy-staging passed 1:05",
                "staging: http://127.0.0.1:6001 (deployed 3:15 after the start)",
                "03:07:20 tag:v1.0.0 validate running",
                "03:08:25 tag:v1.0.0 validate passed 1:05",
                "03:08:25 tag:v1.0.0 build running",
                "03:09:30 tag:v1.0.0 build failed 1:05",
                "03:09:30 tag:v1.0.0 deploy-staging skipped",
            ],
            console.Lines);

        // And the log has all of it, the jobs' own output too
        var logged = log.ToString();
        Assert.Contains("build > compiling…", logged, StringComparison.Ordinal);
        Assert.Contains("03:09:30 tag:v1.0.0 build failed 1:05", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("compiling", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_DrawTheBoardAndTheUrlInPlace_When_TheConsoleIsATerminal()
    {
        // Given
        var console = new TestConsole().Width(120).Interactive().EmitAnsiSequences();
        var clock = new ManualClock(Start);
        using var log = new StringWriter();
        var screen = new LocalUpScreen(console, clock, log, live: true);

        // When
        await screen.RunAsync(async progress =>
        {
            progress.Log("moto_server      http://127.0.0.1:5000");
            progress.Planned!(Main, Jobs, []);
            await Task.Delay(50);
            progress.Job!(Main, new("validate", JobPhase.Started));
            clock.Advance(TimeSpan.FromSeconds(100));
            progress.Job(Main, new("validate", JobPhase.Passed));
            progress.Served!("staging", "http://127.0.0.1:6001");
            return 0;
        });

        // Then: the last drawing has the board and the URL; the log has the changes as lines
        var output = console.Output;
        Assert.Contains("moto_server", output, StringComparison.Ordinal);
        var last = output[output.LastIndexOf("pipeline", StringComparison.Ordinal)..];
        Assert.Contains("passed", last, StringComparison.Ordinal);
        Assert.Contains("1:40", last, StringComparison.Ordinal);
        Assert.Contains("pending", last, StringComparison.Ordinal);
        Assert.Contains("staging: http://127.0.0.1:6001 (deployed 1:40 after the start)", last, StringComparison.Ordinal);
        Assert.Contains("03:05:45 branch:main validate passed 1:40", log.ToString(), StringComparison.Ordinal);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
