using Keyless.Deploy.Releases;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Publishing;

/// <summary>What a plan does to the bucket.</summary>
public enum PlanKind
{
    Deploy,
    Rollback,
    Prune,
}

/// <summary>How a file of the release compares with the bucket.</summary>
public enum ChangeKind
{
    /// <summary>The bucket holds exactly these bytes with these headers.</summary>
    Unchanged,

    /// <summary>The key is not in the bucket.</summary>
    Added,

    /// <summary>The bytes differ (or cannot be compared: a multipart ETag).</summary>
    Content,

    /// <summary>Same bytes, other Content-Type or Cache-Control (or headers not known): the object is written again.</summary>
    Headers,
}

public sealed record PlannedFile(ReleaseFile File, ChangeKind Change)
{
    public bool Writes => Change != ChangeKind.Unchanged;
}

/// <summary>
/// The steps of a publication, run in this order, each one finished before the next starts: nothing a
/// visitor can load changes before <see cref="Supporting"/>, and nothing is deleted before the pointer names
/// the new release.
/// </summary>
public enum PublishPhase
{
    /// <summary>New and changed fingerprinted assets, and content copies of entry points: nothing references them yet.</summary>
    Stage,

    /// <summary>Entry points other than HTML (robots.txt, manifests, unhashed images), copied from their content copies.</summary>
    Supporting,

    /// <summary>HTML pages, last: from here on visitors load the new release.</summary>
    Pages,

    /// <summary>The release record.</summary>
    Record,

    /// <summary>The release pointer, conditional on the ETag read at the start.</summary>
    Pointer,

    /// <summary>Files only releases outside the retained window needed.</summary>
    Cleanup,
}

public abstract record StoreOperation(PublishPhase Phase, string Key)
{
    /// <summary>Bytes sent over the wire (server-side copies send none).</summary>
    public virtual long Bytes => 0;
}

public sealed record PutOperation(PublishPhase Phase, PutRequest Request) : StoreOperation(Phase, Request.Key)
{
    public override long Bytes => Request.Body.Length;
}

/// <summary>
/// A PUT of a site file whose MD5 (for Content-MD5 and the release record) is worked out by <paramref name="Md5"/>
/// right before it is sent; the request, once it succeeded, is handed to <paramref name="Sent"/>: a first
/// deploy's assets go up while the rest of the site is still being hashed.
/// </summary>
public sealed record HashingPutOperation(PublishPhase Phase, string Key, FileBody Body, ObjectHeaders Headers, Func<CancellationToken, string> Md5, Action<PutRequest> Sent)
    : StoreOperation(Phase, Key)
{
    public override long Bytes => Body.Length;
}

public sealed record CopyOperation(PublishPhase Phase, CopyRequest Request) : StoreOperation(Phase, Request.Key);

/// <summary>
/// The release record, written once every file is in place: the version ID of each object written by this
/// publication (S3's answers, see <see cref="WrittenVersions"/>) is known only then.
/// </summary>
public sealed record RecordOperation(BucketLayout Layout, ReleaseRecord Record) : StoreOperation(PublishPhase.Record, Layout.RecordKey(Record.Release))
{
    public PutRequest Request(WrittenVersions written)
    {
        ArgumentNullException.ThrowIfNull(written);
        var files = Record.Files.Select(f => written.Of(Layout.SiteKey(f.Path)) is { } version ? f with { VersionId = version } : f).ToList();
        var bytes = ReleaseJson.Write(Record with { Files = files });
        return new PutRequest(Key, new BytesBody(bytes), Planner.StateHeaders, Planner.Md5(bytes));
    }
}

/// <summary>The version ID of every object a publication wrote, by key, as S3 answered (none on an unversioned bucket).</summary>
public sealed class WrittenVersions
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> _versions = new(StringComparer.Ordinal);

    public void Add(string key, Written written)
    {
        ArgumentNullException.ThrowIfNull(written);
        _versions[key] = written.VersionId;
    }

    public string? Of(string key) => _versions.GetValueOrDefault(key);
}

public sealed record DeleteOperation(IReadOnlyList<string> Keys) : StoreOperation(PublishPhase.Cleanup, Keys[0]);

/// <summary>
/// A deploy, rollback or prune worked out in full before anything is written: a pure function of the release
/// wanted and the <see cref="RemoteState"/>. <see cref="Publisher"/> runs its operations; a dry run prints it.
/// </summary>
public sealed record DeployPlan(
    PlanKind Kind,
    BucketLayout Layout,
    string Release,
    string? Previous,
    IReadOnlyList<PlannedFile> Files,
    IReadOnlyList<string> Deleted,
    IReadOnlyList<string> Kept,
    IReadOnlyList<StoreOperation> Operations)
{
    /// <summary>For each entry point this plan publishes over one of the live release: how to put the old one back.</summary>
    public IReadOnlyDictionary<string, CopyRequest> Reverts { get; init; } = new Dictionary<string, CopyRequest>();

    /// <summary>Why deletions were left out, when they were.</summary>
    public string? Note { get; init; }

    public int Added => Files.Count(f => f.Change == ChangeKind.Added);

    public int Updated => Files.Count(f => f.Change is ChangeKind.Content or ChangeKind.Headers);

    /// <summary>Site files written: added and updated.</summary>
    public int Uploaded => Files.Count(f => f.Writes);

    public int Unchanged => Files.Count(f => !f.Writes);

    public long UploadedBytes => Files.Where(f => f.Writes).Sum(f => f.File.Size);

    public long UnchangedBytes => Files.Where(f => !f.Writes).Sum(f => f.File.Size);

    /// <summary>Site files deleted (content copies of old entry points are not counted).</summary>
    public IReadOnlyList<string> DeletedFiles => [.. Deleted.Select(Layout.SitePath).OfType<string>()];

    /// <summary>Entry points whose bytes or headers change: the paths to invalidate.</summary>
    public IReadOnlyList<string> ChangedEntryPoints => [.. Files.Where(f => f.Writes && f.File.Kind == FileKind.EntryPoint).Select(f => f.File.Path)];

    public bool ChangesNothing => Operations.Count == 0;
}
