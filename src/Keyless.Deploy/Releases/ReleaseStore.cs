using Keyless.Deploy.Storage;
using Keyless.Trust;

namespace Keyless.Deploy.Releases;

/// <summary>Reads the deploy state from the bucket: the listing, the pointer and release records.</summary>
public sealed class ReleaseStore(IObjectStore store, BucketLayout layout)
{
    private const int Concurrency = 8;

    /// <summary>
    /// The listing and the pointer, with the records of the <paramref name="retain"/> + 1 most recent releases,
    /// of the release before the live one (a rollback's default) and of <paramref name="alsoLoad"/>. Another keyless site below this prefix (its own
    /// <c>.keyless/current.json</c>) is left out of the listing, so nothing here ever touches it.
    /// </summary>
    public async Task<RemoteState> LoadAsync(int retain, IEnumerable<string> alsoLoad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alsoLoad);
        // The listing and the pointer and records are independent: read side by side. The pointer is asked for
        // first: the records wait for it, so it is the longer chain wherever requests queue (a local S3 serves
        // them one at a time).
        var pointerRead = store.GetAsync(layout.PointerKey, cancellationToken);
        var listed = store.ListAsync(layout.Prefix, cancellationToken);
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
        Dictionary<string, ReleaseRecord> records;
        try
        {
            records = await LoadRecordsAsync(wanted, cancellationToken);
        }
        catch
        {
            await Observe(listed);
            throw;
        }

        return new RemoteState(layout, WithoutNestedSites(await listed), pointer, pointerObject?.ETag, records);
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
