using Keyless.Core;
using Keyless.Local.Issuer;
using Keyless.Local.Pipeline;

namespace Keyless.Local.Cloud;

/// <summary>One pipeline run of <see cref="LocalUp"/>: the ref, the environment it deployed and the jobs.</summary>
public sealed record LocalUpRun(PipelineRef Ref, string Environment, LocalPipelineResult Result);

/// <summary>What <see cref="LocalUp"/> tells its caller while it works.</summary>
public sealed record LocalUpProgress
{
    /// <summary>Every line: the local cloud's and each pipeline's full output, secrets masked.</summary>
    public required Action<string> Log { get; init; }

    /// <summary>A pipeline's jobs for its ref, before the first starts.</summary>
    public Action<PipelineRef, IReadOnlyList<PipelineJob>, IReadOnlyList<string>>? Planned { get; init; }

    /// <summary>A job of a pipeline started or ended.</summary>
    public Action<PipelineRef, JobEvent>? Job { get; init; }

    /// <summary>A pipeline ended, successfully or not.</summary>
    public Action<PipelineRef, LocalPipelineResult>? Ended { get; init; }

    /// <summary>An environment's pipeline deployed it: its site is served at the URL.</summary>
    public Action<string, string>? Served { get; init; }
}

/// <summary>
/// The whole system on one machine: the local cloud up, then the repository's real <c>.gitlab-ci.yml</c> run
/// by gitlab-ci-local for the default branch (deploying staging) and for a release tag (deploying
/// production), each deploy job holding only an ID token minted for exactly that project and ref.
/// </summary>
public static class LocalUp
{
    public const string ReleaseTag = "v1.0.0";

    /// <summary>Jobs of one pipeline at once. As on GitLab, a job starts as soon as the jobs it needs are done, so
    /// build and test (both need only validate) run side by side and each deploy job waits for both. The jobs share
    /// the clone (the shell executor), which is safe here because only validate compiles the solution: test runs the
    /// tests validate built, from their own bin/ folders (<c>dotnet test --no-build</c>), and build writes none of them
    /// (it publishes the CLI for <c>linux-x64</c>).</summary>
    public const int JobsAtOnce = 2;

    public static Task<(LocalCloud Cloud, IReadOnlyList<LocalUpRun> Runs)> RunAsync(LocalCloudOptions options, Action<string> log, CancellationToken cancellationToken = default) =>
        RunAsync(options, new LocalUpProgress { Log = log }, cancellationToken);

    /// <summary>Starts the local cloud and runs both pipelines at once, the release tag's at low priority; each
    /// environment is announced (<see cref="LocalUpProgress.Served"/>) as soon as its pipeline deployed it.</summary>
    public static async Task<(LocalCloud Cloud, IReadOnlyList<LocalUpRun> Runs)> RunAsync(LocalCloudOptions options, LocalUpProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        // Installing gitlab-ci-local waits mostly on npm's downloads and the disk, starting the cloud mostly on the
        // processor (the stack's synth): side by side, the first job starts sooner.
        var installing = LocalTools.EnsureAsync(options.RepositoryRoot, progress.Log, cancellationToken);
        LocalCloud cloud;
        try
        {
            cloud = await LocalCloud.StartAsync(options, progress.Log, cancellationToken);
        }
        catch
        {
            await ((Task)installing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        try
        {
            var tools = await installing;
            // The release tag's pipeline runs beside the default branch's at low priority: it gets the processor time
            // staging's leaves (its jobs wait on servers and disks too), so staging is served about as soon as it
            // would be alone and production much sooner than after it. Whichever fails first stops the other.
            using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var staging = ServeAsync(PipelineRef.Branch(cloud.Config.GitLab.DefaultBranch), "staging", [], lowPriority: false);
            var production = ServeAsync(PipelineRef.Tag(ReleaseTag), "production", ["deploy-production"], lowPriority: true);
            try
            {
                return (cloud, [await staging, await production]);
            }
            catch
            {
                await failed.CancelAsync();
                await Task.WhenAll((Task)staging, production).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw FirstFailure(staging, production);
            }

            async Task<LocalUpRun> ServeAsync(PipelineRef gitRef, string environment, string[] manual, bool lowPriority)
            {
                try
                {
                    var run = await RunPipelineAsync(cloud, tools, gitRef, environment, manual, progress, lowPriority, failed.Token);
                    if (cloud.SiteUrls.TryGetValue(environment, out var url))
                    {
                        progress.Served?.Invoke(environment, url);
                    }

                    return run;
                }
                catch
                {
                    await failed.CancelAsync();
                    throw;
                }
            }
        }
        catch
        {
            await cloud.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the pipeline for <paramref name="gitRef"/>; the deploy job's token is minted for that ref and environment.</summary>
    public static Task<LocalUpRun> RunPipelineAsync(LocalCloud cloud, LocalTools tools, PipelineRef gitRef, string environment, IReadOnlyList<string> manual, Action<string> log, CancellationToken cancellationToken = default) =>
        RunPipelineAsync(cloud, tools, gitRef, environment, manual, new LocalUpProgress { Log = log }, lowPriority: false, cancellationToken);

    /// <summary>Runs the pipeline for <paramref name="gitRef"/>; the deploy job's token is minted for that ref and environment.
    /// Each line it logs starts with the ref (<c>[tag:v1.0.0] </c>), since two pipelines may run at once.</summary>
    public static async Task<LocalUpRun> RunPipelineAsync(LocalCloud cloud, LocalTools tools, PipelineRef gitRef, string environment, IReadOnlyList<string> manual, LocalUpProgress progress, bool lowPriority, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        ArgumentNullException.ThrowIfNull(progress);
        void Log(string line) => progress.Log($"[{gitRef}] {line}");
        Log($"pipeline for {gitRef} (deploys {environment})");
        using var workspace = await PipelineWorkspace.CreateAsync(cloud.Options.RepositoryRoot, gitRef, cancellationToken: cancellationToken);
        var token = cloud.Mint(gitRef.Name, gitRef.IsTag ? RefType.Tag : RefType.Branch, environment);
        var variables = cloud.JobVariables().Select(v => new PipelineVariable(v.Key, v.Value))
            .Append(new PipelineVariable("KEYLESS_ID_TOKEN", token, Secret: true))
            .ToList();
        var request = PipelineRequest(gitRef, variables, manual, progress, lowPriority) with { OnOutput = Log };
        var result = await new LocalPipelineRun(tools, workspace).RunAsync(request, cancellationToken);
        progress.Ended?.Invoke(gitRef, result);
        if (!result.Succeeded)
        {
            var failed = result.Jobs.Where(j => j.Status == JobStatus.Failed).Select(j => j.Name).ToList();
            throw new KeylessException(FailureKind.Failed, $"The pipeline for {gitRef} failed (jobs: {(failed.Count > 0 ? string.Join(", ", failed) : "none reported")}; gitlab-ci-local exit {result.ExitCode}).{LastLines(result.Output, failed)}");
        }

        return new LocalUpRun(gitRef, environment, result);
    }

    /// <summary>What <see cref="RunPipelineAsync(LocalCloud, LocalTools, PipelineRef, string, IReadOnlyList{string}, LocalUpProgress, bool, CancellationToken)"/>
    /// asks gitlab-ci-local for: the whole pipeline, <see cref="JobsAtOnce"/> jobs at once, these manual jobs started.</summary>
    internal static LocalPipelineRequest PipelineRequest(PipelineRef gitRef, IReadOnlyList<PipelineVariable> variables, IReadOnlyList<string> manual, LocalUpProgress progress, bool lowPriority) => new()
    {
        Variables = variables,
        Manual = manual,
        Concurrency = JobsAtOnce,
        LowPriority = lowPriority,
        OnPlanned = progress.Planned is { } planned ? jobs => planned(gitRef, jobs, manual) : null,
        OnJob = progress.Job is { } job ? e => job(gitRef, e) : null,
    };

    // The failure that stopped the run: a pipeline's own, rather than the other's cancellation it caused.
    private static Exception FirstFailure(params Task[] runs)
    {
        var errors = runs.Where(r => r.IsFaulted).SelectMany(r => r.Exception!.InnerExceptions).ToList();
        return errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault() ?? new OperationCanceledException();
    }

    /// <summary>The end of each failed job's own output (<c>job &gt; text</c>, <c>job $ command</c>), where the reason usually is.</summary>
    internal static string LastLines(string output, IReadOnlyList<string> failedJobs, int count = 25)
    {
        var text = new System.Text.StringBuilder();
        var lines = output.Split('\n');
        foreach (var job in failedJobs)
        {
            var own = lines.Where(l => l.StartsWith(job + " ", StringComparison.Ordinal) && l[job.Length..].TrimStart(' ') is [('>' or '$'), ..]).ToList();
            if (own.Count > 0)
            {
                text.Append($"\nThe last {Math.Min(count, own.Count)} lines of {job}:\n").AppendJoin('\n', own.TakeLast(count));
            }
        }

        return text.ToString();
    }
}
