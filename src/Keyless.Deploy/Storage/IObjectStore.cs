namespace Keyless.Deploy.Storage;

/// <summary>An object as a listing reports it: key, ETag without quotes, size.</summary>
public sealed record ListedObject(string Key, string ETag, long Size)
{
    /// <summary>A multipart upload's ETag (<c>…-N</c>) is not the MD5 of the content: never comparable.</summary>
    public bool IsMultipart => ETag.Contains('-', StringComparison.Ordinal);

    /// <summary>Whether the object holds exactly the content with this MD5 and size.</summary>
    public bool Holds(string md5, long size) =>
        !IsMultipart && Size == size && string.Equals(ETag, md5, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A small object read whole (release records, the release pointer) with its ETag.</summary>
public sealed record StoredObject(string Key, byte[] Content, string ETag);

/// <summary>The headers an object is served with.</summary>
public sealed record ObjectHeaders(string ContentType, string CacheControl);

/// <summary>What a PUT sends: a file streamed from disk, or bytes in memory.</summary>
public abstract record ObjectBody(long Length);

public sealed record FileBody(string Path, long Length) : ObjectBody(Length);

public sealed record BytesBody(byte[] Content) : ObjectBody(Content.LongLength);

/// <summary>A conditional write: only if the object still has this ETag, or only if there is none yet.</summary>
public sealed record WriteCondition(string? IfMatch, bool IfNoneMatch)
{
    public static WriteCondition None { get; } = new(null, false);
}

/// <summary>A single-part PUT; <paramref name="Md5"/> (hex) is sent as Content-MD5 so the store checks the bytes.</summary>
public sealed record PutRequest(string Key, ObjectBody Body, ObjectHeaders Headers, string Md5)
{
    public WriteCondition Condition { get; init; } = WriteCondition.None;
}

/// <summary>A server-side copy that replaces the headers; from one version of the source when <see cref="SourceVersionId"/> is set.</summary>
public sealed record CopyRequest(string Key, string SourceKey, ObjectHeaders Headers)
{
    /// <summary>The version of the source to copy (a versioned bucket keeps every version addressable); null: the current one.</summary>
    public string? SourceVersionId { get; init; }
}

/// <summary>
/// What a write left in the bucket: the object's ETag, and its version ID when the bucket has versioning enabled
/// (null when it never had it, or has it suspended: S3 then names the version "null", and the next write replaces it).
/// </summary>
public sealed record Written(string ETag, string? VersionId)
{
    /// <summary>The version ID S3 answered with, or null where it names none that a later write would keep.</summary>
    public static string? Version(string? versionId) => string.IsNullOrEmpty(versionId) || versionId == "null" ? null : versionId;
}

/// <summary>A conditional write found the object changed by someone else (HTTP 412).</summary>
public sealed class PreconditionFailedException(string key) : Exception($"The object {key} changed since it was read.")
{
    public string Key { get; } = key;
}

/// <summary>
/// The seam between the deploy engine and the bucket: S3 in production, a recording or failing decorator in
/// tests. Expected failures (no bucket, access denied) come out as <see cref="Core.KeylessException"/>
/// naming the operation, the key and the fix.
/// </summary>
public interface IObjectStore
{
    string Bucket { get; }

    /// <summary>Every object under the prefix, all pages.</summary>
    Task<IReadOnlyList<ListedObject>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>A small object read whole; null when there is none.</summary>
    Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Uploads in one request; returns the new ETag and version. Throws <see cref="PreconditionFailedException"/> when a condition fails.</summary>
    Task<Written> PutAsync(PutRequest request, CancellationToken cancellationToken);

    /// <summary>Copies within the bucket with new headers; returns the new ETag and version.</summary>
    Task<Written> CopyAsync(CopyRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes up to 1,000 keys in one request; a key that is already gone is not an error.</summary>
    Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken);
}
