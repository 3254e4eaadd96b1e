using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Keyless.Core;

namespace Keyless.Deploy.Storage;

/// <summary>Who is calling and where, for error messages; <see cref="Redact"/> strips any secret that might slip into a message.</summary>
public sealed record StoreContext(string Endpoint, string Identity, Func<string, string> Redact);

/// <summary>
/// <see cref="IObjectStore"/> on an S3 client. PUTs are single-part, unchunked (<c>UseChunkEncoding=false</c>:
/// s3rver and moto corrupt or slow chunked bodies) and carry Content-MD5; files are streamed from disk.
/// The SDK retries throttling and 5xx; what is left becomes a <see cref="KeylessException"/>.
/// </summary>
public sealed class S3ObjectStore(IAmazonS3 s3, string bucket, StoreContext context) : IObjectStore
{
    /// <summary>The status of a refusal reported per key inside a successful DeleteObjects answer.</summary>
    private const int PerKey = -1;

    /// <summary>
    /// Over TLS a PUT's payload is not signed (<c>UNSIGNED-PAYLOAD</c>): its Content-MD5 already makes S3 check
    /// every byte, and signing it as well would read and hash each file once more, which the SDK documents as the
    /// case for it. Over plain HTTP (a local endpoint) the SDK requires the signed payload.
    /// </summary>
    private readonly bool _unsignedPayload = s3.Config.ServiceURL is { } url
        ? url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        : !s3.Config.UseHttp;

    public string Bucket => bucket;

    public async Task<IReadOnlyList<ListedObject>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<ListedObject>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix.Length == 0 ? null : prefix };
        while (true)
        {
            var response = await Call("ListObjectsV2", prefix, () => s3.ListObjectsV2Async(request, cancellationToken), cancellationToken);
            foreach (var item in response.S3Objects ?? [])
            {
                objects.Add(new ListedObject(item.Key, Unquote(item.ETag), item.Size ?? 0));
            }

            if (response.IsTruncated != true || string.IsNullOrEmpty(response.NextContinuationToken))
            {
                return objects;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return new StoredObject(key, buffer.ToArray(), Unquote(response.ETag));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "NoSuchKey")
        {
            return null;
        }
        catch (Exception e) when (Translate(e, "GetObject", key, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public async Task<Written> PutAsync(PutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var put = new PutObjectRequest
        {
            BucketName = bucket,
            Key = request.Key,
            ContentType = request.Headers.ContentType,
            UseChunkEncoding = false,
            DisablePayloadSigning = _unsignedPayload ? true : null,
            MD5Digest = Convert.ToBase64String(Convert.FromHexString(request.Md5)),
            AutoCloseStream = true,
        };
        put.Headers.CacheControl = request.Headers.CacheControl;
        switch (request.Body)
        {
            case FileBody file:
                put.FilePath = file.Path;
                break;
            case BytesBody bytes:
                put.InputStream = new MemoryStream(bytes.Content, writable: false);
                break;
            default:
                throw new ArgumentException($"Unknown body {request.Body.GetType().Name}.", nameof(request));
        }

        if (request.Condition.IfMatch is { } etag)
        {
            put.IfMatch = Quote(etag);
        }

        if (request.Condition.IfNoneMatch)
        {
            put.IfNoneMatch = "*";
        }

        var response = await Call("PutObject", request.Key, () => s3.PutObjectAsync(put, cancellationToken), cancellationToken);
        return new Written(Unquote(response.ETag), Written.Version(response.VersionId));
    }

    public async Task<Written> CopyAsync(CopyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var copy = new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = request.SourceKey,
            SourceVersionId = request.SourceVersionId,
            DestinationBucket = bucket,
            DestinationKey = request.Key,
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = request.Headers.ContentType,
        };
        copy.Headers.CacheControl = request.Headers.CacheControl;
        var operation = request.SourceVersionId is null ? "CopyObject" : "CopyObject (version)";
        var response = await Call(operation, request.Key, () => s3.CopyObjectAsync(copy, cancellationToken), cancellationToken);
        return new Written(Unquote(response.ETag), Written.Version(response.VersionId));
    }

    public async Task DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return;
        }

        var request = new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [.. keys.Select(k => new KeyVersion { Key = k })],
            Quiet = true,
        };
        var response = await Call("DeleteObjects", keys[0], async () =>
        {
            try
            {
                return await s3.DeleteObjectsAsync(request, cancellationToken);
            }
            catch (DeleteObjectsException e) when (e.Response is { } partial)
            {
                // The SDK throws when some keys were refused; the refusals are in the answer, per key.
                return partial;
            }
        }, cancellationToken);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            // S3 answers 200 and refuses keys one by one; the status says nothing, the count does.
            var first = errors[0];
            throw Explain(first.Code, first.Message, PerKey, string.Create(CultureInfo.InvariantCulture, $"{errors.Count} of {keys.Count} keys refused"), "DeleteObject", first.Key);
        }
    }

    private async Task<T> Call<T>(string operation, string key, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new PreconditionFailedException(key);
        }
        catch (Exception e) when (Translate(e, operation, key, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private KeylessException? Translate(Exception exception, string operation, string key, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        AmazonS3Exception s3Error => Explain(s3Error.ErrorCode, s3Error.Message, (int)s3Error.StatusCode, s3Error.RequestId, operation, key),
        AmazonServiceException service => Explain(service.ErrorCode, service.Message, (int)service.StatusCode, service.RequestId, operation, key),
        AmazonClientException or HttpRequestException or IOException or TimeoutException or OperationCanceledException => new KeylessException(
            FailureKind.Failed,
            context.Redact($"{operation} {Describe(key)} did not reach S3{EndpointText}: {exception.Message.TrimEnd('.')}. The SDK retried; check the network and the endpoint, then run the command again.")),
        _ => null,
    };

    /// <summary>The error a refused request turns into; internal so tests can fail a request exactly as S3 would.</summary>
    internal KeylessException Explain(AmazonServiceException error, string operation, string key) =>
        Explain(error.ErrorCode, error.Message, (int)error.StatusCode, error.RequestId, operation, key);

    private KeylessException Explain(string? code, string? message, int status, string? requestId, string operation, string key)
    {
        var what = $"{operation} {Describe(key)}";
        var request = string.IsNullOrEmpty(requestId) ? "" : $", request ID {requestId}";
        var detail = status == PerKey
            ? $"{code ?? "error"} ({requestId} in the DeleteObjects answer)"
            : string.Create(CultureInfo.InvariantCulture, $"{code ?? "error"} (HTTP {status}{request})");
        var text = code switch
        {
            "NoSuchBucket" => new KeylessException(FailureKind.UnusableInput,
                $"The bucket {bucket} does not exist{EndpointText}. Create it (the keyless CDK stack does), or correct --bucket or the environment's \"bucket\" in keyless.json."),
            "AccessDenied" or "AllAccessDisabled" or "AccountProblem" => new KeylessException(FailureKind.Failed,
                $"{what} was refused: {detail}. {context.Identity} may not {Action(operation)} on {Resource(operation, key)}. Grant it in the deploy role's policy (keyless needs s3:ListBucket on the bucket and s3:GetObject, s3:GetObjectVersion, s3:PutObject, s3:DeleteObject on its keys), and check that the bucket policy does not deny it."),
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired" => new KeylessException(FailureKind.Failed,
                $"{what} was refused: {detail}: S3 does not accept the credentials of {context.Identity}. If they came from the job's ID token, re-run the job for fresh ones; otherwise check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile."),
            "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException" => new KeylessException(FailureKind.UnusableInput,
                $"{what} was refused: {detail}: the bucket {bucket} is in another region. Pass its region with --region (or set aws.region in keyless.json)."),
            "NoSuchVersion" => new KeylessException(FailureKind.Failed,
                $"{what} failed: {detail}: the version of {Describe(key)} a release record names is gone from the bucket (a lifecycle rule expired it, or someone deleted it). Deploy that release again from its commit instead."),
            "BadDigest" or "InvalidDigest" => new KeylessException(FailureKind.Failed,
                $"{what} was refused: {detail}: the bytes S3 received do not match the file's MD5 (the file changed during the upload, or something on the way altered it). Run the deploy again."),
            _ => new KeylessException(FailureKind.Failed,
                $"{what} failed: {detail}: {message?.TrimEnd('.')}. The SDK retried what can be retried; run the deploy again, and if it persists check the bucket{EndpointText}."),
        };
        return new KeylessException(text.Kind, context.Redact(text.Message));
    }

    private string EndpointText => context.Endpoint.Length == 0 ? "" : $" at {context.Endpoint}";

    private string Describe(string key) => $"s3://{bucket}/{key}";

    private string Resource(string operation, string key) =>
        operation == "ListObjectsV2" ? $"arn:aws:s3:::{bucket} (prefix \"{key}\")" : $"arn:aws:s3:::{bucket}/{key}";

    private static string Action(string operation) => operation switch
    {
        "ListObjectsV2" => "s3:ListBucket",
        "CopyObject" => "s3:GetObject and s3:PutObject",
        "CopyObject (version)" => "s3:GetObjectVersion and s3:PutObject",
        "DeleteObjects" or "DeleteObject" => "s3:DeleteObject",
        _ => "s3:" + operation,
    };

    private static string Quote(string etag) => etag.StartsWith('"') ? etag : $"\"{etag}\"";

    internal static string Unquote(string? etag) => (etag ?? "").Trim('"');
}
