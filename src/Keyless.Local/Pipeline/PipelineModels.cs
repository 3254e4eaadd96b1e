namespace Keyless.Local.Pipeline;

/// <summary>
/// A CI/CD variable for the local run. A <see cref="Secret"/> one (an ID token, a key) never appears on a
/// command line or in a file: it reaches gitlab-ci-local through its environment
/// (<c>GCL_VARIABLE_NAME</c>, which gitlab-ci-local removes from its own environment and hands to the jobs
/// as a variable), and its value is masked as <c>[MASKED]</c> in the output, as GitLab masks masked variables.
/// </summary>
public sealed record PipelineVariable(string Name, string Value, bool Secret = false)
{
    public override string ToString() => Secret ? $"{Name}=[MASKED]" : $"{Name}={Value}";
}

/// <summary>What to run: the whole pipeline, or some jobs; which manual jobs to start; extra variables.</summary>
public sealed record LocalPipelineRequest
{
    public IReadOnlyList<PipelineVariable> Variables { get; init; } = [];

    /// <summary>Manual jobs to start as if someone pressed play (<c>--manual</c>), e.g. deploy-production.</summary>
    public IReadOnlyList<string> Manual { get; init; } = [];

    /// <summary>Only these jobs (empty: the whole pipeline).</summary>
    public IReadOnlyList<string> Jobs { get; init; } = [];

    /// <summary>With <see cref="Jobs"/>: also run the jobs they need (<c>--needs</c>).</summary>
    public bool WithNeeds { get; init; }

    /// <summary>Jobs at once. The shell executor runs every job in the same clone, so two .NET builds at once
    /// would fight over obj/; one at a time is the safe default.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Run at low CPU priority (<c>nice -n 19</c>, where there is <c>nice</c>), its compiles too (no shared
    /// compiler server): a pipeline run beside another one then takes only the processor time the other leaves.</summary>
    public bool LowPriority { get; init; }

    /// <summary>Each line of gitlab-ci-local's output as it arrives, secrets already masked.</summary>
    public Action<string>? OnOutput { get; init; }

    /// <summary>The pipeline's jobs for the ref, once listed and before any starts.</summary>
    public Action<IReadOnlyList<PipelineJob>>? OnPlanned { get; init; }

    /// <summary>Each job's start and end as gitlab-ci-local reports it (<see cref="JobEventParser"/>).</summary>
    public Action<JobEvent>? OnJob { get; init; }
}

/// <summary>A job of the pipeline as gitlab-ci-local lists it (<c>--list-json</c>) for a ref.</summary>
public sealed record PipelineJob(string Name, string Stage, string When, bool AllowFailure, IReadOnlyList<string> Needs)
{
    /// <summary>Part of this ref's pipeline: its rules did not say <c>never</c>.</summary>
    public bool InPipeline => When != "never";
}

public enum JobStatus
{
    /// <summary>Not in this ref's pipeline (rules: never).</summary>
    NotInPipeline,

    /// <summary>A manual job nobody started.</summary>
    Manual,

    /// <summary>In the pipeline but never started (a job it needs failed, or it was not asked for).</summary>
    Skipped,

    Passed,

    /// <summary>Failed with <c>allow_failure</c>.</summary>
    Warned,

    Failed,
}

public sealed record JobResult(string Name, string Stage, string When, JobStatus Status);

/// <summary>The outcome of a local pipeline run. <see cref="Output"/> has every secret masked;
/// <see cref="Arguments"/> is gitlab-ci-local's command line (which never holds a secret).</summary>
public sealed record LocalPipelineResult(int ExitCode, IReadOnlyList<JobResult> Jobs, string Output, IReadOnlyList<string> Arguments, TimeSpan Duration)
{
    /// <summary>gitlab-ci-local succeeded and no job failed.</summary>
    public bool Succeeded => ExitCode == 0 && Jobs.All(j => j.Status != JobStatus.Failed);

    public JobResult Job(string name) =>
        Jobs.FirstOrDefault(j => j.Name == name) ?? throw new KeyNotFoundException($"No job {name} in the pipeline; it has {string.Join(", ", Jobs.Select(j => j.Name))}.");

    public JobStatus this[string name] => Job(name).Status;
}
