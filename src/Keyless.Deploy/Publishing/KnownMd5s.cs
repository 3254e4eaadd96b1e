namespace Keyless.Deploy.Publishing;

/// <summary>
/// The MD5s of content release records already describe, by SHA-256 and size: the MD5 of a site file whose
/// SHA-256 a record names is not computed again. (SHA-256 identifies the content; the MD5 is what S3's ETag
/// is compared with.)
/// </summary>
public sealed class KnownMd5s
{
    public static readonly KnownMd5s None = new([]);

    private readonly Dictionary<(string Sha256, long Size), string> _md5s;

    private KnownMd5s(Dictionary<(string Sha256, long Size), string> md5s) => _md5s = md5s;

    public static KnownMd5s From(IEnumerable<ReleaseFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Of(files.Select(f => (f.Sha256, f.Size, f.Md5)));
    }

    public static KnownMd5s Of(IEnumerable<(string Sha256, long Size, string Md5)> contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var md5s = new Dictionary<(string Sha256, long Size), string>();
        foreach (var (sha256, size, md5) in contents)
        {
            md5s.TryAdd((sha256, size), md5);
        }

        return new KnownMd5s(md5s);
    }

    /// <summary>These MD5s and <paramref name="other"/>'s.</summary>
    public KnownMd5s With(KnownMd5s other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Of(_md5s.Concat(other._md5s).Select(p => (p.Key.Sha256, p.Key.Size, p.Value)));
    }

    public string? Find(string sha256, long size) => _md5s.GetValueOrDefault((sha256, size));
}
