using System.Text;

namespace Keyless.Core.Scaffolding;

/// <summary>
/// The difference between two texts as a unified diff (<c>diff -u</c>'s format): <c>---</c>/<c>+++</c> headers,
/// then hunks of <c>@@ -a,b +c,d @@</c> with three lines of context, removed lines as <c>-</c>, added as <c>+</c>.
/// Lines are compared whole, by a longest common subsequence; the texts keyless compares are a few hundred lines.
/// </summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The diff from <paramref name="before"/> to <paramref name="after"/>; empty when they are equal.</summary>
    public static string Of(string before, string after, string beforeName, string afterName)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return "";
        }

        var a = Lines(before);
        var b = Lines(after);
        var edits = Edits(a, b);
        var text = new StringBuilder().Append("--- ").Append(beforeName).Append('\n').Append("+++ ").Append(afterName).Append('\n');
        var changed = edits.Select((e, i) => (e, i)).Where(x => x.e.Kind != ' ').Select(x => x.i).ToList();
        var start = 0;
        while (start < changed.Count)
        {
            // A hunk: changes less than twice the context apart, with the context around them.
            var end = start;
            while (end + 1 < changed.Count && changed[end + 1] - changed[end] <= 2 * Context)
            {
                end++;
            }

            var from = Math.Max(0, changed[start] - Context);
            var to = Math.Min(edits.Count - 1, changed[end] + Context);
            var hunk = edits.GetRange(from, to - from + 1);
            var oldStart = edits.Take(from).Count(e => e.Kind != '+');
            var newStart = edits.Take(from).Count(e => e.Kind != '-');
            var oldCount = hunk.Count(e => e.Kind != '+');
            var newCount = hunk.Count(e => e.Kind != '-');
            text.Append("@@ -").Append(Range(oldStart, oldCount)).Append(" +").Append(Range(newStart, newCount)).Append(" @@\n");
            foreach (var edit in hunk)
            {
                text.Append(edit.Kind).Append(edit.Line).Append('\n');
            }

            start = end + 1;
        }

        if (changed.Count == 0)
        {
            text.Append("(the same lines; only the newline at the end differs)\n");
        }

        return text.ToString();
    }

    // diff -u numbers lines from 1, and an empty range by the line before it.
    private static string Range(int start, int count) => count == 0 ? $"{start},0" : count == 1 ? $"{start + 1}" : $"{start + 1},{count}";

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : (text.EndsWith('\n') ? text[..^1] : text).Split('\n');

    private static List<(char Kind, string Line)> Edits(string[] a, string[] b)
    {
        // lengths[i, j]: the longest common subsequence of a[i..] and b[j..].
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = string.Equals(a[i], b[j], StringComparison.Ordinal) ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var edits = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && string.Equals(a[x], b[y], StringComparison.Ordinal))
            {
                edits.Add((' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || lengths[x + 1, y] >= lengths[x, y + 1]))
            {
                edits.Add(('-', a[x++]));
            }
            else
            {
                edits.Add(('+', b[y++]));
            }
        }

        return edits;
    }
}
