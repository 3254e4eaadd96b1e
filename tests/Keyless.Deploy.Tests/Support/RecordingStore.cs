using System.Net;
using Amazon.S3;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Tests.Support;

/// <summary>One request as the engine made it, in the order they started.</summary>
internal sealed record StoreCall(string Kind, string Key, string? Source = null);

/// <summary>
/// Wraps a store and records every write in the order it started; can refuse the k-th PUT or COPY with the
/// very error S3's AccessDenied becomes.
/// </summary>
internal sealed class RecordingStore(IObjectStore inner) : IObjectStore
{
    private readonly List<StoreCall> _calls = [];
    private int _puts;
    private int _copies;

    public string Bucket => inner.Bucket;

    /// <summary>Refuse the PUT with this 1-based number.</summary>
    public int? DenyPut { get; init; }

    /// <summary>Refuse the COPY onto a site key (an entry point switching) with this 1-based number.</summary>
    public int? DenyCopy { get; init; }

    public IReadOnlyList<StoreCall> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public IReadOnlyList<StoreCall> Writes => [.. Calls.Where(c => c.Kind != "list" && c.Kind != "get")];

    public Task<IReadOnlyList<ListedObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        Record(new StoreCall("list", prefix));
        return inner.ListAsync(prefix, cancellationToken);
    }

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        Record(new StoreCall("get", key));
        return inner.GetAsync(key, cancellationToken);
    }

    public Task<Written> PutAsync(PutRequest request, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _puts);
        Record(new StoreCall("put", request.Key));
        return number == DenyPut ? throw Denied("PutObject", request.Key) : inner.PutAsync(request, cancellationToken);
    }

    public Task<Written> CopyAsync(CopyRequest request, CancellationToken cancellationToken)
    {
        var number = request.Key.StartsWith(".keyless/", StringComparison.Ordinal) ? 0 : Interlocked.Increment(ref _copies);
        Record(new StoreCall("copy", request.Key, request.SourceKey));
        return number == DenyCopy ? throw Denied("CopyObject", request.Key) : inner.CopyAsync(request, cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        foreach (var key in keys)
        {
            Record(new StoreCall("delete", key));
        }

        return inner.DeleteAsync(keys, cancellationToken);
    }

    private Exception Denied(string operation, string key)
    {
        var error = new AmazonS3Exception("Access Denied") { ErrorCode = "AccessDenied", StatusCode = HttpStatusCode.Forbidden, RequestId = "TESTREQUEST" };
        return inner is S3ObjectStore s3 ? s3.Explain(error, operation, key) : error;
    }

    private void Record(StoreCall call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }
}
