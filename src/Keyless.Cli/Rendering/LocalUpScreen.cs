using Keyless.Local.Cloud;
using Keyless.Local.Pipeline;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Keyless.Cli.Rendering;

/// <summary>
/// The console side of <c>keyless local up</c>. Everything goes to the log file; the console gets the local cloud's
/// few lines while it starts, then only the jobs (<see cref="LocalUpView"/>): a table redrawn in place when
/// <paramref name="live"/>, else one line per change of a job's status. Each environment's URL shows as soon as
/// its pipeline deployed it.
/// </summary>
public sealed class LocalUpScreen(IAnsiConsole console, TimeProvider time, TextWriter log, bool live)
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly JobBoard _board = new();
    private readonly List<string> _served = [];
    private readonly DateTimeOffset _start = time.GetUtcNow();
    private readonly TaskCompletionSource _planned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Writes a plain line to the console (and the log).</summary>
    public void Say(string line)
    {
        Log(line);
        lock (console)
        {
            console.Profile.Out.Writer.WriteLine(line);
            console.Profile.Out.Writer.Flush();
        }
    }

    /// <summary>Runs <paramref name="run"/> with progress reported here, under the live table when there is one.</summary>
    public async Task<T> RunAsync<T>(Func<LocalUpProgress, Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var task = run(Progress());
        if (!live || await Task.WhenAny(task, _planned.Task) == task)
        {
            return await task;
        }

        await console.Live(Render()).AutoClear(false).StartAsync(async context =>
        {
            while (!task.IsCompleted)
            {
                context.UpdateTarget(Render());
                context.Refresh();
                await Task.WhenAny(task, Task.Delay(Tick, time));
            }

            context.UpdateTarget(Render());
            context.Refresh();
        });
        return await task;
    }

    private LocalUpProgress Progress() => new()
    {
        Log = line =>
        {
            Log(line);
            if (!_planned.Task.IsCompleted)
            {
                lock (console)
                {
                    console.Profile.Out.Writer.WriteLine(line);
                }
            }
        },
        Planned = (gitRef, jobs, manual) =>
        {
            _board.Plan(gitRef.ToString(), jobs, manual);
            _planned.TrySetResult();
        },
        Job = (gitRef, jobEvent) =>
        {
            if (_board.Apply(gitRef.ToString(), jobEvent, time.GetUtcNow()) is { } row)
            {
                Changed(row);
            }
        },
        Ended = (gitRef, _) =>
        {
            foreach (var row in _board.Close(gitRef.ToString(), time.GetUtcNow()))
            {
                Changed(row);
            }
        },
        Served = (environment, url) =>
        {
            var line = LocalUpView.Served(environment, url, time.GetUtcNow() - _start);
            if (live)
            {
                Log(line);
                lock (_served)
                {
                    _served.Add(line);
                }
            }
            else
            {
                Say(line);
            }
        },
    };

    private void Changed(JobRow row)
    {
        var line = LocalUpView.Change(row, time.GetLocalNow());
        if (live)
        {
            Log(line);
        }
        else
        {
            Say(line);
        }
    }

    private void Log(string line)
    {
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    private IRenderable Render()
    {
        lock (_served)
        {
            return LocalUpView.Render(_board.Rows, [.. _served], time.GetUtcNow());
        }
    }
}
