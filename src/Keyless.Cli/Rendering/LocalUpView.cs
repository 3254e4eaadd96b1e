using System.Globalization;
using Keyless.Local.Pipeline;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Keyless.Cli.Rendering;

/// <summary>
/// What <c>keyless local up</c> shows of its pipelines: one row per job (pipeline, job, status, duration), redrawn
/// in place in a terminal, and in a log one line per change of a job's status. The full output goes to a file.
/// </summary>
public static class LocalUpView
{
    /// <summary>The board as aligned text lines, one per job.</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<JobRow> rows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cells = rows.Select(r => Cells(r, now)).ToList();
        var widths = Enumerable.Range(0, 3).Select(i => cells.Select(c => c[i].Length).DefaultIfEmpty(0).Max()).ToList();
        return cells.Select(c => $"{c[0].PadRight(widths[0])}  {c[1].PadRight(widths[1])}  {c[2].PadRight(widths[2])}  {c[3]}".TrimEnd()).ToList();
    }

    /// <summary>A log line for a job whose status just changed: <c>12:03:04 branch:main validate passed 2:41</c>.</summary>
    public static string Change(JobRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        var cells = Cells(row, now);
        var line = $"{now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {cells[0]} {cells[1]} {cells[2]}";
        return row.IsOver && cells[3].Length > 0 ? $"{line} {cells[3]}" : line;
    }

    /// <summary>The line announcing an environment served, <paramref name="after"/> the start of <c>local up</c>.</summary>
    public static string Served(string environment, string url, TimeSpan after) => $"{environment}: {url} (deployed {Duration(after)} after the start)";

    /// <summary>The live view: the board as a table, then the environments served so far.</summary>
    public static IRenderable Render(IReadOnlyList<JobRow> rows, IReadOnlyList<string> served, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(served);
        var table = new Table().Border(TableBorder.Rounded).AddColumns("pipeline", "job", "status", "time");
        table.Columns[3].RightAligned();
        foreach (var row in rows)
        {
            var cells = Cells(row, now);
            table.AddRow(Markup.Escape(cells[0]), Markup.Escape(cells[1]), $"[{Colour(row.State)}]{cells[2]}[/]", cells[3]);
        }

        return new Rows([table, .. served.Select(line => new Text(line))]);
    }

    /// <summary><c>m:ss</c>, or <c>h:mm:ss</c> from an hour on.</summary>
    public static string Duration(TimeSpan duration) =>
        duration.TotalHours >= 1
            ? duration.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : $"{(int)duration.TotalMinutes}:{duration.Seconds:00}";

    private static string[] Cells(JobRow row, DateTimeOffset now) =>
    [
        row.Pipeline,
        row.Job,
        row.State.ToString().ToLowerInvariant(),
        row.Duration(now) is { } duration && duration >= TimeSpan.Zero ? Duration(duration) : "",
    ];

    private static string Colour(JobState state) => state switch
    {
        JobState.Running => "yellow",
        JobState.Passed => "green",
        JobState.Warned => "olive",
        JobState.Failed => "red",
        _ => "grey",
    };
}
