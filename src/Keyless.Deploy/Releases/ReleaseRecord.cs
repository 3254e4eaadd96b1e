using Keyless.Deploy.Publishing;

namespace Keyless.Deploy.Releases;

/// <summary>
/// What one release published (<c>.keyless/releases/&lt;id&gt;.json</c>): enough to tell which objects in the
/// bucket belong to it, to compare the next build with it, and to republish it in a rollback.
/// </summary>
public sealed record ReleaseRecord(string Release, DateTimeOffset CreatedAt, IReadOnlyList<ReleaseFile> Files)
{
    public const int Version = 1;

    /// <summary>The commit it was built from (<c>$CI_COMMIT_SHA</c>), when known.</summary>
    public string? Commit { get; init; }

    /// <summary>The pipeline that deployed it (<c>$CI_PIPELINE_URL</c>), when known.</summary>
    public string? Pipeline { get; init; }

    public long Bytes => Files.Sum(f => f.Size);

    /// <summary>Every object this release needs: its site files and the content copies of its entry points.</summary>
    public IEnumerable<string> Keys(BucketLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        foreach (var file in Files)
        {
            yield return layout.SiteKey(file.Path);
            if (file.Kind == FileKind.EntryPoint)
            {
                yield return layout.ContentKey(file.Sha256);
            }
        }
    }
}

/// <summary>One publication: a deploy or a rollback made <paramref name="Release"/> live at <paramref name="At"/>.</summary>
public sealed record Publication(string Release, DateTimeOffset At, string Action)
{
    public const string Deploy = "deploy";
    public const string Rollback = "rollback";
}

/// <summary>
/// The release pointer (<c>.keyless/current.json</c>): the live release and the publications before it, newest
/// first. It is written only after every file of the release is in place, with If-Match on the ETag read at the
/// start, so two deploys racing cannot both win.
/// </summary>
public sealed record ReleasePointer(IReadOnlyList<Publication> History)
{
    public const int Version = 1;

    /// <summary>How many publications the pointer remembers.</summary>
    public const int HistoryLimit = 200;

    public string Release => History[0].Release;

    public DateTimeOffset PublishedAt => History[0].At;

    /// <summary>The <paramref name="count"/> most recently published distinct releases, the live one first: their files stay in the bucket.</summary>
    public IReadOnlyList<string> Retained(int count) => [.. History.Select(p => p.Release).Distinct(StringComparer.Ordinal).Take(count)];

    /// <summary>The release published before the live one (another id), for a rollback without --to.</summary>
    public string? Previous => History.Select(p => p.Release).FirstOrDefault(r => !string.Equals(r, Release, StringComparison.Ordinal));

    public static ReleasePointer Start(Publication publication) => new([publication]);

    public ReleasePointer Then(Publication publication) => new([publication, .. History.Take(HistoryLimit - 1)]);
}
