using System.Security.Cryptography;
using Keyless.Core;
using Keyless.Deploy.Releases;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Publishing;

/// <summary>What a deploy needs to know besides the files: the release's id and time, and how many releases keep their files.</summary>
public sealed record DeployOptions(string Release, DateTimeOffset Now)
{
    /// <summary>How many of the most recently published releases keep their files: the live one and the one before it.</summary>
    public int Retain { get; init; } = Planner.DefaultRetain;

    public string? Commit { get; init; }

    public string? Pipeline { get; init; }
}

/// <summary>
/// Works out deploy, rollback and prune plans; pure functions of the release wanted and the bucket's state.
/// A file counts as unchanged when the listing's ETag is its MD5 (never for a multipart ETag), its size
/// matches, and the live release's record gives it the same headers; anything else is written again.
/// </summary>
public static class Planner
{
    public const int DefaultRetain = 2;
    public const int MaxRetain = 100;

    private const int DeleteBatch = 1000;

    internal static readonly ObjectHeaders StateHeaders = new("application/json; charset=utf-8", "no-store");

    public static DeployPlan ForDeploy(SiteManifest site, RemoteState remote, DeployOptions options)
    {
        ArgumentNullException.ThrowIfNull(site);
        return ForDeploy(site.Files, site.FullPath, remote, options);
    }

    public static DeployPlan ForDeploy(IReadOnlyList<ReleaseFile> files, Func<ReleaseFile, string> localPath, RemoteState remote, DeployOptions options)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(options);
        CheckRetain(options.Retain);
        var layout = remote.Layout;
        var current = remote.Current;
        var changes = Publish(files, remote, current, localPath);
        var record = new ReleaseRecord(options.Release, options.Now, changes.Recorded) { Commit = options.Commit, Pipeline = options.Pipeline };

        // Deploying the live release again with nothing to write: nothing to publish, and only what an
        // interrupted cleanup left behind to delete (the pointer is not written again).
        if (current is not null && current.Release == options.Release && changes.Operations.Count == 0 && current.Files.Count == files.Count && current.Files.Zip(files).All(p => p.First.SameFile(p.Second)))
        {
            var (leftover, _) = Deletions(remote, current, LeavingWindow(remote.Pointer!, options.Retain), remote.Pointer!.Retained(options.Retain));
            return new DeployPlan(PlanKind.Deploy, layout, options.Release, current.Release, changes.Files, leftover, [], [.. leftover.Chunk(DeleteBatch).Select(batch => new DeleteOperation(batch))]);
        }

        var pointer = Advance(remote.Pointer, new Publication(options.Release, options.Now, Publication.Deploy));
        // Content copies this deploy makes of what leaves (for putting it back on failure) go too once it is published.
        var created = changes.Operations.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var (deleted, note) = Deletions(remote, record, remote.Pointer is { } live ? LeavingWindow(live, options.Retain) : [], pointer.Retained(options.Retain), created);
        var removed = new HashSet<string>(deleted, StringComparer.Ordinal);
        var paths = files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var kept = current?.Files.Select(f => f.Path).Where(p => !paths.Contains(p) && !removed.Contains(layout.SiteKey(p))).ToList() ?? [];

        var operations = changes.Operations
            .Append(new RecordOperation(layout, record))
            .Append(PointerWrite(remote, pointer))
            .Concat(deleted.Chunk(DeleteBatch).Select(batch => new DeleteOperation(batch)))
            .ToList();
        return new DeployPlan(PlanKind.Deploy, layout, options.Release, current?.Release, changes.Files, deleted, kept, operations)
        {
            Reverts = changes.Reverts,
            Note = note,
        };
    }

    /// <summary>
    /// Republishes an earlier release from what is still in the bucket: its assets where they are, its entry
    /// points copied back from their content copies. Nothing is uploaded from disk and nothing is deleted.
    /// </summary>
    public static DeployPlan ForRollback(RemoteState remote, string? to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var layout = remote.Layout;
        var pointer = remote.Pointer
            ?? throw KeylessException.Input($"Nothing was ever deployed to {layout} (there is no {layout.PointerKey}), so there is no release to roll back to.");
        var target = to ?? pointer.Previous
            ?? throw KeylessException.Input($"{layout} has only ever published release {pointer.Release}; there is no earlier release to roll back to.");
        var record = remote.Records.GetValueOrDefault(target)
            ?? throw KeylessException.Input($"There is no release {target} at {layout} (no {layout.RecordKey(target)}). Run keyless releases to list the releases there.");
        var current = remote.Current;
        var changes = Publish(record.Files, remote, current, localPath: null);
        if (changes.Missing.Count > 0)
        {
            throw new KeylessException(
                FailureKind.Failed,
                $"Release {target} cannot be restored from {layout}: {changes.Missing.Count} of its {record.Files.Count} files are no longer in the bucket (e.g. {string.Join(", ", changes.Missing.Take(3))}); it fell out of the retained releases and was cleaned up. Deploy it again from its commit{(record.Commit is { } commit ? $" ({commit})" : "")} instead. Nothing was changed.");
        }

        if (target == pointer.Release && changes.Operations.Count == 0)
        {
            return new DeployPlan(PlanKind.Rollback, layout, target, pointer.Release, changes.Files, [], [], []);
        }

        var operations = changes.Operations.Append(PointerWrite(remote, pointer.Then(new Publication(target, now, Publication.Rollback)))).ToList();
        return new DeployPlan(PlanKind.Rollback, layout, target, pointer.Release, changes.Files, [], [], operations) { Reverts = changes.Reverts };
    }

    /// <summary>Deletes every site file and content copy under the prefix that no retained release needs, unknown files included.</summary>
    public static DeployPlan ForPrune(RemoteState remote, int retain)
    {
        ArgumentNullException.ThrowIfNull(remote);
        CheckRetain(retain);
        var layout = remote.Layout;
        var pointer = remote.Pointer
            ?? throw KeylessException.Input($"Nothing was ever deployed to {layout} (there is no {layout.PointerKey}). keyless prune only cleans up after keyless deploy; nothing was deleted.");
        var window = pointer.Retained(retain);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in window)
        {
            var record = remote.Records.GetValueOrDefault(id)
                ?? throw new KeylessException(FailureKind.Failed, $"Release {id} is retained at {layout} but its record {layout.RecordKey(id)} is missing, so what it needs is unknown. Restore the record from the bucket's versions; nothing was deleted.");
            referenced.UnionWith(record.Keys(layout));
        }

        var garbage = remote.Objects.Keys
            .Where(k => (layout.SitePath(k) is not null || k.StartsWith(layout.ContentPrefix, StringComparison.Ordinal)) && !referenced.Contains(k))
            .Order(StringComparer.Ordinal)
            .ToList();
        return new DeployPlan(PlanKind.Prune, layout, pointer.Release, pointer.Release, [], garbage, [], [.. garbage.Chunk(DeleteBatch).Select(batch => new DeleteOperation(batch))]);
    }

    public static void CheckRetain(int retain)
    {
        if (retain is < 1 or > MaxRetain)
        {
            throw KeylessException.Input($"--retain {retain}: expected 1 to {MaxRetain} releases whose files stay in the bucket (default {DefaultRetain}: the live release and the one before it, so pages still open in browsers keep working and a rollback needs no upload).");
        }
    }

    /// <summary>What publishing a release changes; <paramref name="Recorded"/> is its files with the version IDs already known (of what stays).</summary>
    private sealed record Changes(List<PlannedFile> Files, List<ReleaseFile> Recorded, List<StoreOperation> Operations, Dictionary<string, CopyRequest> Reverts, List<string> Missing);

    /// <summary>
    /// Whether the bucket keeps object versions: the live release's record names the version IDs S3 answered its
    /// writes with. Known from the writes themselves, so keyless needs neither s3:GetBucketVersioning nor a request.
    /// </summary>
    public static bool Versioned(ReleaseRecord? live) => live?.Files.Any(f => f.VersionId is not null) == true;

    private static Changes Publish(IReadOnlyList<ReleaseFile> files, RemoteState remote, ReleaseRecord? current, Func<ReleaseFile, string>? localPath)
    {
        var layout = remote.Layout;
        var known = current?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal) ?? [];
        var result = new Changes([], [], [], new Dictionary<string, CopyRequest>(StringComparer.Ordinal), []);
        var versioned = Versioned(current);

        // Entry-point versions the loaded releases know, live release first: what a key may hold that must survive.
        var versions = (current is null ? remote.Records.Values : remote.Records.Values.Where(r => r.Release != current.Release).Prepend(current))
            .SelectMany(r => r.Files.Where(f => f.Kind == FileKind.EntryPoint))
            .ToLookup(f => f.Path, StringComparer.Ordinal);
        // Every version the loaded releases recorded with its S3 version ID, live release first.
        var addressable = (current is null ? remote.Records.Values : remote.Records.Values.Where(r => r.Release != current.Release).Prepend(current))
            .SelectMany(r => r.Files.Where(f => f.VersionId is not null))
            .ToLookup(f => f.Path, StringComparer.Ordinal);

        // Content copies that exist once the stage step is done: already there, or copied or uploaded by it.
        var staged = new HashSet<string>(StringComparer.Ordinal);
        bool EnsureContent(ReleaseFile version, ListedObject? atKey, string key, bool upload)
        {
            var contentKey = layout.ContentKey(version.Sha256);
            var headers = new ObjectHeaders(version.ContentType, "no-store");
            if (staged.Contains(contentKey) || remote.Object(contentKey)?.Holds(version.Md5, version.Size) == true)
            {
                return true;
            }

            if (atKey?.Holds(version.Md5, version.Size) == true)
            {
                // The bytes are live at the key (published straight there by a first deploy): copied server-side.
                staged.Add(contentKey);
                result.Operations.Add(new CopyOperation(PublishPhase.Stage, new CopyRequest(contentKey, key, headers)));
                return true;
            }

            if (upload && localPath is not null)
            {
                staged.Add(contentKey);
                result.Operations.Add(ContentUpload(layout, version, localPath));
                return true;
            }

            return false;
        }

        foreach (var file in files)
        {
            var key = layout.SiteKey(file.Path);
            var listed = remote.Object(key);
            var was = known.GetValueOrDefault(file.Path);
            var change = listed is null ? ChangeKind.Added
                : !listed.Holds(file.Md5, file.Size) ? ChangeKind.Content
                : was is not null && was.Md5 == file.Md5 && was.SameHeaders(file) ? ChangeKind.Unchanged
                : ChangeKind.Headers;
            result.Files.Add(new PlannedFile(file, change));
            // The object version the key holds now, when a release recorded its ID: it stays addressable whatever is written over it.
            var live = addressable[file.Path].FirstOrDefault(v => listed?.Holds(v.Md5, v.Size) == true);
            result.Recorded.Add(change == ChangeKind.Unchanged ? file with { VersionId = live?.VersionId } : file with { VersionId = null });
            var headers = new ObjectHeaders(file.ContentType, file.CacheControl);

            if (file.Kind == FileKind.EntryPoint)
            {
                if (change == ChangeKind.Unchanged)
                {
                    continue;
                }

                var phase = file.IsPage ? PublishPhase.Pages : PublishPhase.Supporting;
                if (current is null && localPath is not null)
                {
                    // A first deploy: nothing is live, nothing to put back. Straight to the key, after the assets;
                    // its content copy is made from there when a later release replaces it.
                    result.Operations.Add(new PutOperation(phase, new PutRequest(key, new FileBody(localPath(file), file.Size), headers, file.Md5)));
                    continue;
                }

                // On a versioned bucket, what the key holds now is put back from its version on failure, and the file
                // is written in place: one request. Otherwise what the key holds (the live release's version, or a
                // retained one's) keeps a content copy, made before anything switches: the source of putting it back
                // on failure, and of a later rollback.
                var inPlace = localPath is not null ? live is not null || versioned : file.VersionId is not null;
                if (live is not null)
                {
                    result.Reverts[key] = new CopyRequest(key, key, new ObjectHeaders(live.ContentType, live.CacheControl)) { SourceVersionId = live.VersionId };
                }
                else if (versions[file.Path].FirstOrDefault(v => listed?.Holds(v.Md5, v.Size) == true) is { } holding && EnsureContent(holding, listed, key, upload: false))
                {
                    result.Reverts[key] = new CopyRequest(key, layout.ContentKey(holding.Sha256), new ObjectHeaders(holding.ContentType, holding.CacheControl));
                }
                else if (was is { Kind: FileKind.EntryPoint } && remote.Object(layout.ContentKey(was.Sha256))?.Holds(was.Md5, was.Size) == true)
                {
                    result.Reverts[key] = new CopyRequest(key, layout.ContentKey(was.Sha256), new ObjectHeaders(was.ContentType, was.CacheControl));
                }

                if (inPlace)
                {
                    result.Operations.Add(localPath is not null
                        ? new PutOperation(phase, new PutRequest(key, new FileBody(localPath(file), file.Size), headers, file.Md5))
                        : new CopyOperation(phase, new CopyRequest(key, key, headers) { SourceVersionId = file.VersionId }));
                }
                else if (EnsureContent(file, listed, key, upload: true))
                {
                    result.Operations.Add(new CopyOperation(phase, new CopyRequest(key, layout.ContentKey(file.Sha256), headers)));
                }
                else
                {
                    result.Missing.Add(file.Path);
                }
            }
            else if (change != ChangeKind.Unchanged)
            {
                if (localPath is not null)
                {
                    result.Operations.Add(AssetUpload(layout, file, localPath));
                }
                else if (change == ChangeKind.Headers)
                {
                    result.Operations.Add(new CopyOperation(PublishPhase.Stage, new CopyRequest(key, key, headers)));
                }
                else if (file.VersionId is { } version)
                {
                    // Gone from the key or replaced, but its version is still in a versioned bucket.
                    result.Operations.Add(new CopyOperation(PublishPhase.Stage, new CopyRequest(key, key, headers) { SourceVersionId = version }));
                }
                else
                {
                    result.Missing.Add(file.Path);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The uploads of a deploy's stage step that do not depend on the listing, so they can run while it is read:
    /// every asset the live release does not have exactly (the plan writes those whatever the listing says), and
    /// the content copy of every entry-point version no loaded release knows (at worst uploaded again, unchanged).
    /// Each is the very request the plan then makes; nothing a visitor loads references them yet.
    /// </summary>
    public static IReadOnlyList<PutOperation> EarlyUploads(SiteManifest site, BucketLayout layout, KnownReleases releases)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(releases);
        if (releases.Pointer is not null && releases.Current is null)
        {
            // The live release's record is missing: the plan stops with that, so nothing is uploaded first.
            return [];
        }

        var live = releases.Current?.Files.ToDictionary(f => f.Path, StringComparer.Ordinal) ?? [];
        // A versioned bucket writes entry points in place: no content copies to make.
        var copies = Versioned(releases.Current) ? null : new HashSet<string>(StringComparer.Ordinal);
        var knownVersions = releases.Records.Values
            .SelectMany(r => r.Files)
            .Where(f => f.Kind == FileKind.EntryPoint)
            .Select(f => (f.Sha256, f.Size))
            .ToHashSet();
        var uploads = new List<PutOperation>();
        foreach (var file in site.Files)
        {
            if (file.Kind != FileKind.EntryPoint)
            {
                if (!(live.GetValueOrDefault(file.Path) is { } was && was.Md5 == file.Md5 && was.SameHeaders(file)))
                {
                    uploads.Add(AssetUpload(layout, file, site.FullPath));
                }
            }
            else if (copies is not null && !knownVersions.Contains((file.Sha256, file.Size)) && copies.Add(file.Sha256))
            {
                uploads.Add(ContentUpload(layout, file, site.FullPath));
            }
        }

        return uploads;
    }

    private static PutOperation AssetUpload(BucketLayout layout, ReleaseFile file, Func<ReleaseFile, string> localPath) =>
        new(PublishPhase.Stage, new PutRequest(layout.SiteKey(file.Path), new FileBody(localPath(file), file.Size), new ObjectHeaders(file.ContentType, file.CacheControl), file.Md5));

    private static PutOperation ContentUpload(BucketLayout layout, ReleaseFile version, Func<ReleaseFile, string> localPath) =>
        new(PublishPhase.Stage, new PutRequest(layout.ContentKey(version.Sha256), new FileBody(localPath(version), version.Size), new ObjectHeaders(version.ContentType, "no-store"), version.Md5));

    /// <summary>Files of releases leaving the retained window that no retained release (the new one included) needs.</summary>
    private static (List<string> Deleted, string? Note) Deletions(RemoteState remote, ReleaseRecord release, IReadOnlyList<string> oldWindow, IReadOnlyList<string> newWindow, IReadOnlyCollection<string>? created = null)
    {
        var layout = remote.Layout;
        var others = newWindow.Where(id => id != release.Release).ToList();
        if (others.FirstOrDefault(id => !remote.Records.ContainsKey(id)) is { } unknown)
        {
            return ([], $"Nothing is deleted: release {unknown} is retained but its record is missing, so what it needs is unknown.");
        }

        var referenced = release.Keys(layout).Concat(others.SelectMany(id => remote.Records[id].Keys(layout))).ToHashSet(StringComparer.Ordinal);
        var deleted = oldWindow.Except(newWindow, StringComparer.Ordinal)
            .Where(remote.Records.ContainsKey)
            .SelectMany(id => remote.Records[id].Keys(layout))
            .Where(k => !referenced.Contains(k) && (remote.Objects.ContainsKey(k) || created?.Contains(k) == true))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return (deleted, null);
    }

    /// <summary>
    /// The releases whose files a deploy may delete: the retained ones, and the one that left the window at the
    /// last publication, in case that deploy's cleanup was interrupted (its files are deleted now).
    /// </summary>
    private static IReadOnlyList<string> LeavingWindow(ReleasePointer pointer, int retain) => pointer.Retained(retain + 1);

    private static ReleasePointer Advance(ReleasePointer? pointer, Publication publication) =>
        pointer is null ? ReleasePointer.Start(publication) : pointer.Then(publication);

    private static PutOperation PointerWrite(RemoteState remote, ReleasePointer pointer)
    {
        var bytes = ReleaseJson.Write(pointer);
        return new PutOperation(PublishPhase.Pointer, new PutRequest(remote.Layout.PointerKey, new BytesBody(bytes), StateHeaders, Md5(bytes))
        {
            Condition = remote.PointerETag is { } etag ? new WriteCondition(etag, false) : new WriteCondition(null, true),
        });
    }

    // MD5 is what S3 checks in Content-MD5, not a security measure.
#pragma warning disable CA5351
    internal static string Md5(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351
}
