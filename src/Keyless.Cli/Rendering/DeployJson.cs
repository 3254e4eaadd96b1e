using Keyless.Deploy;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Publishing;

namespace Keyless.Cli.Rendering;

/// <summary>Machine output of deploy, rollback, releases and prune: counts are of site files.</summary>
public static class DeployJson
{
    public static object Outcome(DeployOutcome outcome, DeployTarget target)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(target);
        var plan = outcome.Plan;
        return new
        {
            command = plan.Kind == PlanKind.Rollback ? "rollback" : "deploy",
            release = plan.Release,
            previous = plan.Previous,
            environment = target.Environment,
            bucket = plan.Layout.Bucket,
            prefix = plan.Layout.Prefix,
            dryRun = outcome.DryRun,
            uploaded = plan.Uploaded,
            added = plan.Added,
            updated = plan.Updated,
            deleted = plan.DeletedFiles.Count,
            unchanged = plan.Unchanged,
            kept = plan.Kept.Count,
            bytes = new { uploaded = plan.UploadedBytes, unchanged = plan.UnchangedBytes },
            files = new
            {
                added = plan.Files.Where(f => f.Change == ChangeKind.Added).Select(f => f.File.Path),
                updated = plan.Files.Where(f => f.Change is ChangeKind.Content or ChangeKind.Headers).Select(f => new { path = f.File.Path, change = f.Change == ChangeKind.Content ? "content" : "headers" }),
                deleted = plan.DeletedFiles,
                kept = plan.Kept,
            },
            invalidation = outcome.Invalidation is { } invalidation
                ? new { distribution = target.Distribution, id = invalidation.Id, status = invalidation.Status, paths = invalidation.Paths }
                : null,
            verified = outcome.Verification is { } check ? new { url = check.Url.ToString(), path = check.Path, md5 = check.Md5 } : null,
            url = target.Url,
            note = plan.Note,
        };
    }

    public static object Prune(DeployPlan plan, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new
        {
            command = "prune",
            release = plan.Release,
            bucket = plan.Layout.Bucket,
            prefix = plan.Layout.Prefix,
            dryRun,
            deleted = plan.DeletedFiles.Count,
            contentCopies = plan.Deleted.Count - plan.DeletedFiles.Count,
            files = plan.DeletedFiles,
        };
    }

    public static object Releases(DeployTarget target, IReadOnlyList<ReleaseSummary> releases)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(releases);
        return new
        {
            bucket = target.Layout.Bucket,
            prefix = target.Layout.Prefix,
            current = releases.FirstOrDefault(r => r.Current)?.Release,
            releases = releases.Select(r => new
            {
                release = r.Release,
                createdAt = r.CreatedAt,
                publishedAt = r.PublishedAt,
                files = r.Files,
                bytes = r.Bytes,
                current = r.Current,
                retained = r.Retained,
                restorable = r.Restorable,
                commit = r.Commit,
            }),
        };
    }
}
