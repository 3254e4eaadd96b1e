using Keyless.Core;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Releases;

/// <summary>The pointer, with its ETag, and the records read with it: what a deploy knows before the listing is in.</summary>
public sealed record KnownReleases(ReleasePointer? Pointer, string? PointerETag, IReadOnlyDictionary<string, ReleaseRecord> Records)
{
    /// <summary>The live release's record; null before the first deploy, or when it is missing (which the full state reports).</summary>
    public ReleaseRecord? Current => Pointer is { } pointer ? Records.GetValueOrDefault(pointer.Release) : null;
}

/// <summary>The two reads of <see cref="ReleaseStore.Start"/>, under way.</summary>
public sealed record RemoteRead(Task<KnownReleases> Releases, Task<RemoteState> State);

/// <summary>Reads the deploy state from the bucket: the listing, the pointer and release records.</summary>
public sealed class ReleaseStore(IObjectStore store, BucketLayout layout)
{
    private const int Concurrency = 8;

    /// <summary>
    /// The listing and the pointer, with the records of the <paramref name="retain"/> + 1 most recent releases,
    /// of the release before the live one (a rollback's default) and of <paramref name="alsoLoad"/>. Another keyless site below this prefix (its own
    /// <c>.keyless/current.json</c>) is left out of the listing, so nothing here ever touches it.
    /// </summary>
    public Task<RemoteState> LoadAsync(int retain, IEnumerable<string> alsoLoad, CancellationToken cancellationToken) =>
        Start(retain, alsoLoad, cancellationToken).State;

    /// <summary>
    /// Starts reading what <see cref="LoadAsync"/> returns, with the pointer and records on their own: they are a
    /// handful of objects, while the listing of a large site takes a request per 1,000 keys, so they arrive first
    /// and a deploy can start on what they tell it. <see cref="RemoteRead.State"/> fails as
    /// <see cref="RemoteRead.Releases"/> does.
    /// </summary>
    public RemoteRead Start(int retain, IEnumerable<string> alsoLoad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alsoLoad);
        // The listing and the pointer and records are independent: read side by side. The pointer is asked for
        // first: the records wait for it, so it is the longer chain wherever requests queue (a local S3 serves
        // them one at a time).
        var pointerRead = store.GetAsync(layout.PointerKey, cancellationToken);
        var listed = store.ListAsync(layout.Prefix, cancellationToken);
        var releases = ReadReleasesAsync(pointerRead, listed, retain, [.. alsoLoad], cancellationToken);
        return new RemoteRead(releases, CombineAsync(releases, listed));
    }

    private async Task<KnownReleases> ReadReleasesAsync(Task<StoredObject?> pointerRead, Task<IReadOnlyList<ListedObject>> listed, int retain, IReadOnlyList<string> alsoLoad, CancellationToken cancellationToken)
    {
        StoredObject? pointerObject;
        try
        {
            pointerObject = await pointerRead;
        }
        catch (KeylessException)
        {
            // Both refused (no access to the bucket at all): the listing's refusal, s3:ListBucket, is the one reported.
            await listed;
            throw;
        }
        catch
        {
            await Observe(listed);
            throw;
        }

        var pointer = pointerObject is null ? null : ReleaseJson.ReadPointer(layout + BucketLayout.StateFolder + "current.json", pointerObject.Content);
        // One release more than the retained ones: the one the last publication dropped, whose files a deploy
        // deletes if that publication's cleanup was interrupted.
        var wanted = (pointer?.Retained(retain + 1) ?? []).Concat(pointer?.Previous is { } previous ? [previous] : []).Concat(alsoLoad).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            return new KnownReleases(pointer, pointerObject?.ETag, await LoadRecordsAsync(wanted, cancellationToken));
        }
        catch
        {
            await Observe(listed);
            throw;
        }
    }

    private async Task<RemoteState> CombineAsync(Task<KnownReleases> releases, Task<IReadOnlyList<ListedObject>> listed)
    {
        KnownReleases known;
        try
        {
            known = await releases;
        }
        catch
        {
            await Observe(listed);
            throw;
        }

        return new RemoteState(layout, WithoutNestedSites(await listed), known.Pointer, known.PointerETag, known.Records);
    }

    /// <summary>Every release record under the prefix, by release id.</summary>
    public async Task<IReadOnlyDictionary<string, ReleaseRecord>> LoadAllRecordsAsync(RemoteState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var ids = state.Objects.Keys.Select(layout.RecordRelease).OfType<string>().Where(ReleaseId.IsValid).ToList();
        return await LoadRecordsAsync(ids, cancellationToken);
    }

    private async Task<Dictionary<string, ReleaseRecord>> LoadRecordsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, ReleaseRecord>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (id, token) =>
        {
            var key = layout.RecordKey(id);
            if (await store.GetAsync(key, token) is { } found)
            {
                var record = ReleaseJson.ReadRecord($"s3://{layout.Bucket}/{key}", found.Content);
                lock (records)
                {
                    records[id] = record;
                }
            }
        });
        return records;
    }

    /// <summary>Waits for a read whose result is no longer wanted, so its failure is not left unobserved.</summary>
    private static async Task Observe(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is KeylessException or OperationCanceledException)
        {
            // The first failure is the one reported.
        }
    }

    private Dictionary<string, ListedObject> WithoutNestedSites(IReadOnlyList<ListedObject> listing)
    {
        const string pointerSuffix = "/" + BucketLayout.StateFolder + "current.json";
        var nested = listing
            .Where(o => o.Key.EndsWith(pointerSuffix, StringComparison.Ordinal) && o.Key != layout.PointerKey)
            .Select(o => o.Key[..(o.Key.Length - pointerSuffix.Length + 1)])
            .ToList();
        return listing
            .Where(o => !nested.Any(prefix => o.Key.StartsWith(prefix, StringComparison.Ordinal)))
            .ToDictionary(o => o.Key, StringComparer.Ordinal);
    }
}
