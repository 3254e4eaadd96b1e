using Keyless.Local.Pipeline;
using Keyless.Testing;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>
/// A tiny throwaway pipeline run for real through gitlab-ci-local: the ref variables jobs see, the
/// injected secret (reaching the job, never printed), manual jobs, failures and the host's environment.
/// </summary>
[Collection(PipelineRuns.Name)]
public sealed class LocalPipelineRunTests(PipelineTools fixture)
{
    // A token-shaped secret; it must reach the job and appear nowhere in what the run shows.
    private static readonly string Secret = "eyJhbGciOiJSUzI1NiJ9." + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=') + ".c2lnbmF0dXJl";

    private const string TwoJobs = """
        stages: [first, second]
        show-ref:
          stage: first
          script:
            - test "${FAIL_FIRST:-0}" != 1
            - echo "ref=$CI_COMMIT_REF_NAME branch=${CI_COMMIT_BRANCH-none} tag=${CI_COMMIT_TAG-none} slug=$CI_COMMIT_REF_SLUG protected=$CI_COMMIT_REF_PROTECTED"
            - echo "project=$CI_PROJECT_PATH server=$CI_SERVER_URL default=$CI_DEFAULT_BRANCH title=$CI_COMMIT_TITLE"
            - echo "token length=${#KEYLESS_ID_TOKEN} endpoint=$AWS_ENDPOINT_URL"
            - echo "host=${KEYLESS_PIPELINE_TEST_HOST-withheld}"
        use-token:
          stage: second
          needs: [show-ref]
          rules:
            - if: $CI_COMMIT_TAG
              when: manual
            - if: $CI_COMMIT_BRANCH
          script:
            - echo "a careless job prints token=$KEYLESS_ID_TOKEN"
        """;

    [Fact]
    public async Task Should_RunBothJobsWithTheBranchAndTheSecret_When_TheRefIsABranch()
    {
        // Given
        using var repo = ScratchRepository.Create(new Dictionary<string, string> { [".gitlab-ci.yml"] = TwoJobs });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });
        var lines = new List<string>();
        var events = new List<JobEvent>();
        IReadOnlyList<PipelineJob>? planned = null;

        // When
        var result = await new LocalPipelineRun(fixture.Tools, workspace).RunAsync(new LocalPipelineRequest
        {
            Variables = [new("KEYLESS_ID_TOKEN", Secret, Secret: true), new("AWS_ENDPOINT_URL", "http://127.0.0.1:5055")],
            OnOutput = lines.Add,
            OnPlanned = jobs => planned = jobs,
            OnJob = events.Add,
        });

        // Then
        Assert.True(result.Succeeded, result.Output);
        Assert.Equal(JobStatus.Passed, result["show-ref"]);
        Assert.Equal(JobStatus.Passed, result["use-token"]);
        Assert.Contains("ref=main branch=main tag=none slug=main protected=false", result.Output, StringComparison.Ordinal);
        Assert.Contains("project=acme/website server=https://gitlab.com default=main title=Scratch commit", result.Output, StringComparison.Ordinal);
        Assert.Contains($"token length={Secret.Length} endpoint=http://127.0.0.1:5055", result.Output, StringComparison.Ordinal);
        Assert.Contains("a careless job prints token=[MASKED]", result.Output, StringComparison.Ordinal);
        Assert.Equal(result.Output, string.Concat(lines.Select(l => l + "\n")));
        AssertNowhere(Secret, result);

        // Each job's start and end, as they happened, read from gitlab-ci-local's own lines
        Assert.Equal(["show-ref", "use-token"], planned!.Select(j => j.Name));
        Assert.Equal(
            [new("show-ref", JobPhase.Started), new("show-ref", JobPhase.Passed), new("use-token", JobPhase.Started), new JobEvent("use-token", JobPhase.Passed)],
            events);

        // Nor in gitlab-ci-local's own files (job scripts, expanded YAML, the first job's raw log): only the
        // careless job's raw log holds it, and the workspace is deleted with it.
        var state = Path.Combine(workspace.ProjectDirectory, ".gitlab-ci-local");
        var files = Directory.GetFiles(state, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("show-ref.log", StringComparison.Ordinal));
        Assert.All(SecretFiles.Holding(state, new Dictionary<string, string> { ["the token"] = Secret }), found => Assert.EndsWith("use-token.log: the token", found, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_SeeTheTagAndLeaveTheManualJob_When_TheRefIsATag()
    {
        // Given
        using var repo = ScratchRepository.Create(new Dictionary<string, string> { [".gitlab-ci.yml"] = TwoJobs });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Tag("v1.0.0"), new PipelineWorkspaceOptions { ProjectPath = "acme/website", Protected = true });

        // When
        var result = await new LocalPipelineRun(fixture.Tools, workspace).RunAsync(new LocalPipelineRequest
        {
            Variables = [new("KEYLESS_ID_TOKEN", Secret, Secret: true)],
        });

        // Then: GitLab's tag variables, no branch, and the manual job waiting
        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("ref=v1.0.0 branch=none tag=v1.0.0 slug=v1-0-0 protected=true", result.Output, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Passed, result["show-ref"]);
        Assert.Equal(JobStatus.Manual, result["use-token"]);
        Assert.DoesNotContain("careless", result.Output, StringComparison.Ordinal);
        AssertNowhere(Secret, result);
    }

    [Fact]
    public async Task Should_RunTheManualJob_When_TheRequestStartsIt()
    {
        // Given
        using var repo = ScratchRepository.Create(new Dictionary<string, string> { [".gitlab-ci.yml"] = TwoJobs });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Tag("v1.0.0"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });

        // When
        var result = await new LocalPipelineRun(fixture.Tools, workspace).RunAsync(new LocalPipelineRequest
        {
            Variables = [new("KEYLESS_ID_TOKEN", Secret, Secret: true)],
            Manual = ["use-token"],
        });

        // Then
        Assert.True(result.Succeeded, result.Output);
        Assert.Equal(JobStatus.Passed, result["use-token"]);
        Assert.Equal(["--manual", "use-token"], result.Arguments.SkipWhile(a => a != "--manual").Take(2));
        AssertNowhere(Secret, result);
    }

    [Fact]
    public async Task Should_ReportTheFailureAndSkipTheJobsAfterIt_When_AJobFails()
    {
        // Given
        using var repo = ScratchRepository.Create(new Dictionary<string, string> { [".gitlab-ci.yml"] = TwoJobs });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("feature/login"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });

        var events = new List<JobEvent>();

        // When
        var result = await new LocalPipelineRun(fixture.Tools, workspace).RunAsync(new LocalPipelineRequest
        {
            Variables = [new("FAIL_FIRST", "1")],
            OnJob = events.Add,
        });

        // Then
        Assert.Equal([new("show-ref", JobPhase.Started), new JobEvent("show-ref", JobPhase.Failed)], events);
        Assert.False(result.Succeeded);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(JobStatus.Failed, result["show-ref"]);
        Assert.Equal(JobStatus.Skipped, result["use-token"]);
    }

    [Fact]
    public async Task Should_KeepTheCallersCloudAndKeylessVariablesFromTheJobs_When_TheyAreSetOnTheHost()
    {
        // Given: a variable of the surrounding process that a GitLab job would never see
        Environment.SetEnvironmentVariable("KEYLESS_PIPELINE_TEST_HOST", "leaked");
        using var repo = ScratchRepository.Create(new Dictionary<string, string> { [".gitlab-ci.yml"] = TwoJobs });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });

        // When
        var result = await new LocalPipelineRun(fixture.Tools, workspace).RunAsync(new LocalPipelineRequest { Jobs = ["show-ref"] });

        // Then
        Assert.True(result.Succeeded, result.Output);
        Assert.Contains("host=withheld", result.Output, StringComparison.Ordinal);
        Assert.Equal(JobStatus.Skipped, result["use-token"]);
    }

    [Fact]
    public async Task Should_RunTheJobsAtTheLowestPriorityWithTheirOwnCompiler_When_ThePipelineRunsAtLowPriority()
    {
        // Given: a caller that compiles without the server (this machine's own setting, for one)
        Environment.SetEnvironmentVariable("UseSharedCompilation", "false");
        const string Job = """
            show-priority:
              script:
                - echo "nice=$(nice) shared-compilation=${UseSharedCompilation-unset}"
            """;
        using var repo = ScratchRepository.Create(new Dictionary<string, string> { [".gitlab-ci.yml"] = Job });
        using var low = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });
        using var normal = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });

        // When
        var lowResult = await new LocalPipelineRun(fixture.Tools, low).RunAsync(new LocalPipelineRequest { LowPriority = true });
        var normalResult = await new LocalPipelineRun(fixture.Tools, normal).RunAsync(new LocalPipelineRequest());

        // Then: nice 19 whatever the caller's own, and MSBuild told not to use the compiler server the other pipeline's
        // builds share; the normal run keeps the caller's priority and compiles as a GitLab runner does, whatever the
        // caller's own UseSharedCompilation says
        Assert.True(lowResult.Succeeded, lowResult.Output);
        Assert.Contains("nice=19 shared-compilation=false", lowResult.Output, StringComparison.Ordinal);
        Assert.True(normalResult.Succeeded, normalResult.Output);
        Assert.Contains("shared-compilation=unset", normalResult.Output, StringComparison.Ordinal);
        var callers = File.ReadAllText("/proc/self/stat").Split(' ')[18];
        Assert.Contains($"nice={callers} ", normalResult.Output, StringComparison.Ordinal);
    }

    // The shape of the repository's pipeline: build and test both need only validate, deploy needs both. Each of
    // build and test waits (up to a minute) for the other to have started, so run one after the other they fail.
    private const string Diamond = """
        stages: [validate, build, test, deploy]
        validate:
          stage: validate
          script: [touch validated]
        build:
          stage: build
          needs: [validate]
          script:
            - touch build.started
            - for i in $(seq 600); do [ -e test.started ] && break; sleep 0.1; done
            - test -e test.started
            - touch build.done
        test:
          stage: test
          needs: [validate]
          script:
            - touch test.started
            - for i in $(seq 600); do [ -e build.started ] && break; sleep 0.1; done
            - test -e build.started
            - touch test.done
        deploy:
          stage: deploy
          needs: [build, test]
          script:
            - test -e build.done && test -e test.done
        """;

    [Fact]
    public async Task Should_RunJobsWhoseNeedsAreDoneSideBySideAndTheDeployAfterBoth_When_TwoJobsMayRunAtOnce()
    {
        // Given
        using var repo = ScratchRepository.Create(new Dictionary<string, string> { [".gitlab-ci.yml"] = Diamond });
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, PipelineRef.Branch("main"), new PipelineWorkspaceOptions { ProjectPath = "acme/website" });
        var events = new List<JobEvent>();

        // When
        var result = await new LocalPipelineRun(fixture.Tools, workspace).RunAsync(new LocalPipelineRequest { Concurrency = 2, OnJob = events.Add });

        // Then: build and test both started before either ended, and deploy started only after both passed
        Assert.True(result.Succeeded, result.Output);
        Assert.Equal(["--concurrency", "2"], result.Arguments.SkipWhile(a => a != "--concurrency").Take(2));
        Assert.All(result.Jobs, j => Assert.Equal(JobStatus.Passed, j.Status));
        int At(string job, JobPhase phase) => events.IndexOf(new JobEvent(job, phase));
        var firstEnd = Math.Min(At("build", JobPhase.Passed), At("test", JobPhase.Passed));
        Assert.True(At("build", JobPhase.Started) < firstEnd && At("test", JobPhase.Started) < firstEnd, string.Join(", ", events));
        Assert.True(At("deploy", JobPhase.Started) > Math.Max(At("build", JobPhase.Passed), At("test", JobPhase.Passed)), string.Join(", ", events));
    }

    private static void AssertNowhere(string secret, LocalPipelineResult result)
    {
        Assert.DoesNotContain(secret, result.Output, StringComparison.Ordinal);
        Assert.All(result.Arguments, a => Assert.DoesNotContain(secret, a, StringComparison.Ordinal));
    }
}
