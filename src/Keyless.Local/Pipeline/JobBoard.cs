namespace Keyless.Local.Pipeline;

public enum JobState
{
    Pending,
    Running,
    Passed,

    /// <summary>Failed with <c>allow_failure</c>.</summary>
    Warned,

    Failed,

    /// <summary>Never started: a job it needs failed.</summary>
    Skipped,
}

/// <summary>One job of one pipeline on a <see cref="JobBoard"/>.</summary>
public sealed record JobRow(string Pipeline, string Job, JobState State, DateTimeOffset? Started = null, DateTimeOffset? Ended = null)
{
    /// <summary>How long it ran, or has been running at <paramref name="now"/>; null before it started.</summary>
    public TimeSpan? Duration(DateTimeOffset now) => Started is { } started ? (Ended ?? now) - started : null;

    public bool IsOver => State is JobState.Passed or JobState.Warned or JobState.Failed or JobState.Skipped;
}

/// <summary>
/// The jobs of one or more pipeline runs and where each stands, fed with the jobs a run will start and the
/// <see cref="JobEvent"/>s of its output. Safe to read while another thread feeds it.
/// </summary>
public sealed class JobBoard
{
    private readonly List<JobRow> _rows = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<JobRow> Rows
    {
        get
        {
            lock (_lock)
            {
                return [.. _rows];
            }
        }
    }

    /// <summary>Adds the jobs <paramref name="pipeline"/> will run, as pending: those in the pipeline for its ref,
    /// without manual jobs nobody starts.</summary>
    public IReadOnlyList<JobRow> Plan(string pipeline, IEnumerable<PipelineJob> jobs, IReadOnlyCollection<string> manual)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(manual);
        var planned = jobs.Where(j => j.InPipeline && (j.When != "manual" || manual.Contains(j.Name)))
            .Select(j => new JobRow(pipeline, j.Name, JobState.Pending))
            .ToList();
        lock (_lock)
        {
            _rows.AddRange(planned);
        }

        return planned;
    }

    /// <summary>Applies <paramref name="jobEvent"/> of <paramref name="pipeline"/> at <paramref name="at"/>; returns the
    /// job's new row, or null when the board does not show the job.</summary>
    public JobRow? Apply(string pipeline, JobEvent jobEvent, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        lock (_lock)
        {
            var index = _rows.FindIndex(r => r.Pipeline == pipeline && r.Job == jobEvent.Job);
            if (index < 0)
            {
                return null;
            }

            var row = _rows[index];
            _rows[index] = jobEvent.Phase switch
            {
                JobPhase.Started => row with { State = JobState.Running, Started = at, Ended = null },
                _ => row with
                {
                    State = jobEvent.Phase switch { JobPhase.Passed => JobState.Passed, JobPhase.Warned => JobState.Warned, _ => JobState.Failed },
                    Started = row.Started ?? at,
                    Ended = at,
                },
            };
            return _rows[index];
        }
    }

    /// <summary>The run of <paramref name="pipeline"/> ended: a job still pending never started (skipped), one still
    /// running was stopped with it (failed). Returns the rows that changed.</summary>
    public IReadOnlyList<JobRow> Close(string pipeline, DateTimeOffset at)
    {
        var changed = new List<JobRow>();
        lock (_lock)
        {
            for (var i = 0; i < _rows.Count; i++)
            {
                var row = _rows[i];
                if (row.Pipeline != pipeline || row.IsOver)
                {
                    continue;
                }

                _rows[i] = row.State == JobState.Pending ? row with { State = JobState.Skipped } : row with { State = JobState.Failed, Ended = at };
                changed.Add(_rows[i]);
            }
        }

        return changed;
    }
}
