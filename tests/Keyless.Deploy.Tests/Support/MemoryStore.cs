using System.Security.Cryptography;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Tests.Support;

/// <summary>A bucket in a dictionary, with S3's ETags (MD5) and headers: for the publisher's order and failure rules.</summary>
internal sealed class MemoryStore : IObjectStore
{
    private readonly Dictionary<string, (byte[] Content, ObjectHeaders Headers)> _objects = new(StringComparer.Ordinal);

    public string Bucket => "memory";

    public IReadOnlyDictionary<string, (byte[] Content, ObjectHeaders Headers)> Objects
    {
        get
        {
            lock (_objects)
            {
                return new Dictionary<string, (byte[], ObjectHeaders)>(_objects, StringComparer.Ordinal);
            }
        }
    }

    public Task<IReadOnlyList<ListedObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        lock (_objects)
        {
            return Task.FromResult<IReadOnlyList<ListedObject>>([.. _objects
                .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
                .Select(o => new ListedObject(o.Key, Md5(o.Value.Content), o.Value.Content.LongLength))]);
        }
    }

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_objects)
        {
            return Task.FromResult(_objects.TryGetValue(key, out var found) ? new StoredObject(key, found.Content, Md5(found.Content)) : null);
        }
    }

    public async Task<Written> PutAsync(PutRequest request, CancellationToken cancellationToken)
    {
        var content = request.Body switch
        {
            BytesBody bytes => bytes.Content,
            FileBody file => await File.ReadAllBytesAsync(file.Path, cancellationToken),
            _ => throw new ArgumentException("body"),
        };
        lock (_objects)
        {
            var exists = _objects.TryGetValue(request.Key, out var current);
            if ((request.Condition.IfNoneMatch && exists) || (request.Condition.IfMatch is { } etag && (!exists || Md5(current.Content) != etag)))
            {
                throw new PreconditionFailedException(request.Key);
            }

            _objects[request.Key] = (content, request.Headers);
            return new Written(Md5(content), null);
        }
    }

    public Task<Written> CopyAsync(CopyRequest request, CancellationToken cancellationToken)
    {
        lock (_objects)
        {
            var source = _objects[request.SourceKey];
            _objects[request.Key] = (source.Content, request.Headers);
            return Task.FromResult(new Written(Md5(source.Content), null));
        }
    }

    public Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        lock (_objects)
        {
            foreach (var key in keys)
            {
                _objects.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    public void Replace(string key, string text)
    {
        lock (_objects)
        {
            _objects[key] = (System.Text.Encoding.UTF8.GetBytes(text), _objects[key].Headers);
        }
    }

#pragma warning disable CA5351 // S3's ETag
    private static string Md5(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351
}

/// <summary>A connector that hands out one store, for tests without S3.</summary>
internal sealed class StoreConnector(IObjectStore store) : Aws.IDeployConnector
{
    public Task<Aws.DeployConnection> ConnectAsync(Aws.DeployTarget target, CancellationToken cancellationToken) =>
        Task.FromResult(new Aws.DeployConnection(store, null, "the test's credentials"));
}
