using Keyless.Core;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Releases;

/// <summary>
/// What the bucket holds under the prefix, as one deploy, rollback or prune sees it at its start: the listing,
/// the pointer (with its ETag, for the conditional write at the end) and the records of the releases it needs.
/// </summary>
public sealed record RemoteState(
    BucketLayout Layout,
    IReadOnlyDictionary<string, ListedObject> Objects,
    ReleasePointer? Pointer,
    string? PointerETag,
    IReadOnlyDictionary<string, ReleaseRecord> Records)
{
    /// <summary>The live release's record; null before the first deploy.</summary>
    public ReleaseRecord? Current => Pointer is { } pointer
        ? Records.GetValueOrDefault(pointer.Release) ?? throw new KeylessException(
            FailureKind.Failed,
            $"{Layout}{BucketLayout.StateFolder}current.json names release {pointer.Release}, but its record {Layout.RecordKey(pointer.Release)} is missing. Restore it from the bucket's versions, or remove current.json to start over. Nothing was changed.")
        : null;

    public ListedObject? Object(string key) => Objects.GetValueOrDefault(key);

    /// <summary>Whether the bucket still holds every object a release needs, exactly.</summary>
    public bool Holds(ReleaseRecord record) => Missing(record).Count == 0;

    /// <summary>
    /// The site paths of a release whose content is gone from the bucket: neither at its key nor, for an entry
    /// point, in its content copy; nor addressable by the version ID its record names (a versioned bucket keeps it,
    /// unless a lifecycle rule expired it, which a rollback then reports).
    /// </summary>
    public IReadOnlyList<string> Missing(ReleaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return [.. record.Files
            .Where(f => f.VersionId is null && Object(Layout.SiteKey(f.Path))?.Holds(f.Md5, f.Size) != true
                && (f.Kind != Publishing.FileKind.EntryPoint || Object(Layout.ContentKey(f.Sha256))?.Holds(f.Md5, f.Size) != true))
            .Select(f => f.Path)];
    }
}
