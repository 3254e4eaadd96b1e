namespace Keyless.Deploy.Publishing;

/// <summary>How a file is published: immutable under a content-hashed name, or an entry point under a stable name.</summary>
public enum FileKind
{
    /// <summary>The name carries a hash of the content (<c>app.3f9a1c2b.css</c>): cached for a year, never changed in place.</summary>
    Fingerprinted,

    /// <summary>
    /// A stable name whose content changes between releases (HTML, <c>robots.txt</c>, manifests, any unhashed
    /// file): served with <c>no-cache</c>, published after the assets, invalidated when it changes, and kept
    /// as a content-addressed copy so a rollback can restore it.
    /// </summary>
    EntryPoint,
}

/// <summary>
/// One file of a release: its path in the site (<c>/</c>-separated, no leading slash), its content identity
/// (size, MD5 as S3 reports it in the ETag of a single-part upload, SHA-256 for the content-addressed copy)
/// and the headers it is served with.
/// </summary>
public sealed record ReleaseFile(
    string Path,
    long Size,
    string Md5,
    string Sha256,
    string ContentType,
    string CacheControl,
    FileKind Kind)
{
    /// <summary>
    /// The S3 version ID of the object this release wrote (or found) at the file's key, on a bucket with versioning
    /// enabled: a rollback or a failed deploy restores the file by copying this version back. Null otherwise.
    /// </summary>
    public string? VersionId { get; init; }

    /// <summary>An HTML page: published last, after every other entry point.</summary>
    public bool IsPage => Path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || Path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);

    /// <summary>The same file with the same headers, whichever object version holds it.</summary>
    public bool SameFile(ReleaseFile other) => this with { VersionId = null } == other with { VersionId = null };

    public bool SameHeaders(ReleaseFile other) =>
        string.Equals(ContentType, other.ContentType, StringComparison.Ordinal)
        && string.Equals(CacheControl, other.CacheControl, StringComparison.Ordinal);
}
