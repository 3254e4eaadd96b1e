using System.Text.RegularExpressions;

namespace Keyless.Local.Pipeline;

/// <summary>What happened to a job: it started, or it ended with a status.</summary>
public enum JobPhase
{
    Started,
    Passed,

    /// <summary>Failed with <c>allow_failure</c>.</summary>
    Warned,

    Failed,
}

/// <summary>A job of a running pipeline changed state.</summary>
public sealed record JobEvent(string Job, JobPhase Phase);

/// <summary>
/// Reads job events from gitlab-ci-local 4.73.0's output (without colours or timestamps), where each line
/// begins with the job's name padded to the longest name:
/// <c>build    starting shell (build)</c>, <c>build    finished in 41 s</c>, and on standard error
/// <c>build    finished in 41 s  FAIL 1 </c> or <c> WARN 1 </c>. A job's own output is
/// <c>build    &gt; text</c> or <c>build    $ command</c>, so it can never be taken for an event.
/// </summary>
public sealed partial class JobEventParser
{
    private readonly IReadOnlyList<string> _longestFirst;

    public JobEventParser(IEnumerable<string> jobNames)
    {
        ArgumentNullException.ThrowIfNull(jobNames);
        _longestFirst = [.. jobNames.OrderByDescending(n => n.Length)];
    }

    /// <summary>The event <paramref name="line"/> reports, or null when it reports none.</summary>
    public JobEvent? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        foreach (var job in _longestFirst)
        {
            if (!line.StartsWith(job, StringComparison.Ordinal) || line.Length == job.Length || line[job.Length] != ' ')
            {
                continue;
            }

            var rest = line[job.Length..].TrimStart(' ');
            if (Started().IsMatch(rest))
            {
                return new JobEvent(job, JobPhase.Started);
            }

            var finished = Finished().Match(rest);
            if (!finished.Success)
            {
                continue; // a longer name may share this prefix only when this one is not the job: try the next
            }

            return finished.Groups["after"].Success
                ? null // an after_script warning: the job's own status came on its own line
                : new JobEvent(job, finished.Groups["status"].Value switch
                {
                    "FAIL" => JobPhase.Failed,
                    "WARN" => JobPhase.Warned,
                    _ => JobPhase.Passed,
                });
        }

        return null;
    }

    [GeneratedRegex(@"^starting \S+ \([^)]*\)$")]
    private static partial Regex Started();

    [GeneratedRegex(@"^finished in [0-9.]+ [a-zμ]+(?: +(?<status>FAIL|WARN) -?\d+ *(?<after>after_script)?)? *$")]
    private static partial Regex Finished();
}

/// <summary>
/// A run's job events in an order that holds: gitlab-ci-local writes a job's start to standard output and a failure
/// to standard error, and the two are read side by side, so a job that fails at once may report its end first. An
/// end before its job's start brings the start with it, and the late start is dropped.
/// </summary>
public sealed class JobEventSequence(IEnumerable<string> jobNames)
{
    private readonly JobEventParser _parser = new(jobNames);
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);

    /// <summary>The events <paramref name="line"/> brings, in order: none, one, or a start and an end.</summary>
    public IReadOnlyList<JobEvent> Read(string line)
    {
        if (_parser.Parse(line) is not { } jobEvent)
        {
            return [];
        }

        var first = _started.Add(jobEvent.Job);
        return jobEvent.Phase == JobPhase.Started
            ? first ? [jobEvent] : []
            : first ? [new JobEvent(jobEvent.Job, JobPhase.Started), jobEvent] : [jobEvent];
    }
}
