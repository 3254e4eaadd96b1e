using System.Globalization;
using Keyless.Deploy;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Publishing;
using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>Readable output of deploy, rollback, releases and prune.</summary>
public static class DeployText
{
    /// <summary>How many changed files a real deploy lists under its summary; a dry run lists them all.</summary>
    public const int ListedChanges = 30;

    /// <summary>One line per file written, deleted or kept: <c>+</c> added, <c>~</c> updated, <c>-</c> deleted, <c>=</c> kept.</summary>
    public static IEnumerable<string> ChangeLines(DeployPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var file in plan.Files.Where(f => f.Writes))
        {
            var sign = file.Change == ChangeKind.Added ? "+" : "~";
            var why = file.Change switch
            {
                ChangeKind.Content => " (content)",
                ChangeKind.Headers => " (headers)",
                _ => "",
            };
            yield return $"{sign} {file.File.Path}  {Sizes.Format(file.File.Size)}{why}";
        }

        foreach (var path in plan.DeletedFiles)
        {
            yield return $"- {path}";
        }

        foreach (var path in plan.Kept)
        {
            yield return $"= {path}  (kept for release {plan.Previous})";
        }
    }

    /// <summary>"3 to upload (4.6 KiB), 1 to delete, 120 unchanged".</summary>
    public static string Counts(DeployPlan plan, bool future)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var parts = new List<string>
        {
            future ? $"{plan.Uploaded} to upload ({Sizes.Format(plan.UploadedBytes)}: {plan.Added} new, {plan.Updated} changed)" : $"{plan.Uploaded} uploaded ({Sizes.Format(plan.UploadedBytes)}: {plan.Added} new, {plan.Updated} changed)",
            future ? $"{plan.DeletedFiles.Count} to delete" : $"{plan.DeletedFiles.Count} deleted",
            $"{plan.Unchanged} unchanged ({Sizes.Format(plan.UnchangedBytes)})",
        };
        if (plan.Kept.Count > 0)
        {
            parts.Add($"{plan.Kept.Count} removed from the site but kept for release {plan.Previous}");
        }

        return string.Join(", ", parts);
    }

    public static void WriteOutcome(IAnsiConsole console, DeployOutcome outcome, DeployTarget target, bool listChanges)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(target);
        var plan = outcome.Plan;
        var lines = ChangeLines(plan).ToList();
        if (outcome.DryRun || listChanges)
        {
            var shown = outcome.DryRun ? lines : [.. lines.Take(ListedChanges)];
            foreach (var line in shown)
            {
                console.WriteLine("  " + line);
            }

            if (shown.Count < lines.Count)
            {
                console.WriteLine($"  … and {lines.Count - shown.Count} more");
            }
        }

        var rollback = plan.Kind == PlanKind.Rollback;
        if (outcome.DryRun)
        {
            var what = rollback ? $"rollback of {plan.Layout} from release {plan.Previous} to {plan.Release}" : $"release {plan.Release} to {plan.Layout}";
            console.WriteLine($"Dry run, {what}: {Counts(plan, future: true)}. Nothing was changed.");
        }
        else if (plan.ChangesNothing)
        {
            console.WriteLine($"Release {plan.Release} is already live at {plan.Layout}: nothing to write, {plan.Unchanged} files unchanged.");
        }
        else if (rollback)
        {
            console.WriteLine($"Rolled {plan.Layout} back from release {plan.Previous} to {plan.Release}: {plan.Uploaded} files republished, {plan.Unchanged} unchanged.");
        }
        else
        {
            console.WriteLine($"Deployed release {plan.Release} to {plan.Layout}: {Counts(plan, future: false)}.");
        }

        if (outcome.Invalidation is { } invalidation)
        {
            console.WriteLine($"Invalidated {invalidation.Paths.Count} paths in CloudFront distribution {target.Distribution}: {invalidation.Id} ({invalidation.Status}).");
        }

        if (outcome.Verification is { } check)
        {
            console.WriteLine($"Verified: {check.Url} serves {check.Path} of release {plan.Release} (MD5 {check.Md5}).");
        }

        if (!outcome.DryRun && target.Url is { } url)
        {
            console.WriteLine($"Live at {url}");
        }
    }

    public static void WritePrune(IAnsiConsole console, DeployPlan plan, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var key in plan.Deleted)
        {
            console.WriteLine($"  - {key}");
        }

        var files = plan.DeletedFiles.Count;
        var copies = plan.Deleted.Count - files;
        console.WriteLine(dryRun
            ? $"Dry run, prune of {plan.Layout}: {files} site files and {copies} entry-point copies to delete; release {plan.Release} and the releases retained with it keep theirs. Nothing was changed."
            : $"Pruned {plan.Layout}: deleted {files} site files and {copies} entry-point copies no retained release needs.");
    }

    public static void WriteReleases(IAnsiConsole console, DeployTarget target, IReadOnlyList<ReleaseSummary> releases)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(releases);
        if (releases.Count == 0)
        {
            console.WriteLine($"No releases at {target.Layout}: nothing was deployed there yet.");
            return;
        }

        var table = Consoles.Table(console, "release", "created", "published", "files", "size", "status");
        table.Columns[3].RightAligned();
        table.Columns[4].RightAligned();
        foreach (var release in releases)
        {
            table.AddRow(
                Markup.Escape(release.Release),
                Time(release.CreatedAt),
                release.PublishedAt is { } published ? Time(published) : "-",
                release.Files.ToString(CultureInfo.InvariantCulture),
                Sizes.Format(release.Bytes),
                Status(release));
        }

        console.Write(table);
    }

    public static string Status(ReleaseSummary release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return release switch
        {
            { Current: true } => "live",
            { Retained: true, Restorable: true } => "retained, can roll back",
            { Restorable: true } => "can roll back",
            _ => "files pruned",
        };
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
