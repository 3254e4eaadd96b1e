using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Keyless.Core;
using Keyless.Deploy.Aws;
using Keyless.Identity.Exchange;

namespace Keyless.Deploy.Storage;

/// <summary>
/// How the S3 client is built: region, endpoint and the SDK's retry settings. Every value can be set, so a
/// test can put a fault-injecting proxy in front of S3 (<see cref="Endpoint"/>) and tune the retries.
/// </summary>
public sealed record S3ClientSettings
{
    public string Region { get; init; } = EnvironmentNames.FallbackRegion;

    /// <summary>A custom endpoint (moto, MinIO, a proxy); null for AWS. A custom endpoint is addressed path-style.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Retries after the first attempt for throttling (503 SlowDown), 5xx and network errors, with backoff and jitter.</summary>
    public int MaxErrorRetry { get; init; } = 5;

    public RequestRetryMode RetryMode { get; init; } = RequestRetryMode.Standard;

    /// <summary>The time one request may take; a 5 GiB PUT on a slow link needs minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Connections, and requests under way, at most: room for the largest <c>--concurrency</c> plus the state reads
    /// and the listing that run beside a deploy's first uploads. Fewer are let through while S3 answers 503
    /// (<see cref="RequestWindow"/>).
    /// </summary>
    public int MaxConnections { get; init; } = 2 * Publishing.Publisher.DefaultConcurrency;

    /// <summary>Makes the SDK's HTTP clients; null: one behind a <see cref="RequestWindow"/>. A test catches requests before they leave.</summary>
    public HttpClientFactory? HttpClients { get; init; }

    /// <summary>Told how the request window adapts; null: a window of its own. A test watches it back off.</summary>
    public RequestWindow? Window { get; init; }

    /// <summary>The S3 endpoint the environment names: <c>AWS_ENDPOINT_URL_S3</c>, else <c>AWS_ENDPOINT_URL</c>; null for AWS.</summary>
    public static Uri? EndpointFrom(IEnvironment environment) =>
        ServiceEndpoint.From(environment, "AWS_ENDPOINT_URL_S3", "expected an S3 endpoint such as http://127.0.0.1:5000, or unset it to use AWS");
}

public static class S3ClientFactory
{
    public static AmazonS3Client Create(AWSCredentials credentials, S3ClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = new AmazonS3Config
        {
            RetryMode = settings.RetryMode,
            MaxErrorRetry = settings.MaxErrorRetry,
            Timeout = settings.Timeout,
            MaxConnectionsPerServer = settings.MaxConnections,
            // The endpoint comes from S3ClientSettings only (read through the IEnvironment seam), never
            // from variables or profiles the SDK would read behind our back.
            IgnoreConfiguredEndpointUrls = true,
            // Integrity comes from Content-MD5 on every PUT; no second pass over each file for a CRC.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };

        config.HttpClientFactory = settings.HttpClients
            ?? new WindowedHttpClients(settings.Window ?? new RequestWindow(settings.MaxConnections), settings.MaxConnections, settings.Timeout);

        if (settings.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        var client = new AmazonS3Client(credentials, config);
        client.BeforeRequestEvent += CopySourceWithSlashes;
        return client;
    }

    /// <summary>
    /// The SDK sends a CopyObject's source as one encoded string (<c>bucket%2Fkey</c>); S3 takes it either way, but
    /// S3 stand-ins such as s3rver split it on literal slashes. Sent as the AWS CLI sends it (<c>bucket/key</c>,
    /// each segment still encoded), before the request is signed.
    /// </summary>
    private static void CopySourceWithSlashes(object sender, RequestEventArgs e)
    {
        if (e is WebServiceRequestEventArgs { Headers: { } headers } && headers.TryGetValue(CopySource, out var source))
        {
            headers[CopySource] = source.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }
    }

    private const string CopySource = "x-amz-copy-source";
}
