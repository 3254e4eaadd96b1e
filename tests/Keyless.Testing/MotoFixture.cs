using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Keyless.Core;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Releases;
using Keyless.Deploy.Storage;
using Keyless.Local.Cloud;
using Xunit;

namespace Keyless.Testing;

/// <summary>
/// A moto_server of our own on a free loopback port (<see cref="MotoServer"/>, the one keyless's local cloud starts),
/// shared by a test class or collection; an S3 client to arrange and inspect buckets with, and the environment a
/// deploy to it runs in. Ready only when the process listening on its port is the one it started, so the tests never
/// talk to a server they did not start. Each test makes its own bucket.
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    /// <summary>A secret no output may ever show; moto accepts any keys.</summary>
    public static readonly string SecretKey = "kl-test-secret-" + Guid.NewGuid().ToString("N");

    public const string AccessKey = "kltestaccesskey";

    private MotoServer? _server;

    public MotoServer Server => _server ?? throw new InvalidOperationException("moto_server is not started.");

    public AmazonS3Client S3 { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    /// <summary>The server's address without a trailing slash, as an endpoint variable holds it.</summary>
    public string Url => Server.Url.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        _server = await MotoServer.StartAsync(timeout: TimeSpan.FromSeconds(60));
        Assert.True(LoopbackPorts.IsListeningProcess(_server.Port, _server.ProcessId), $"port {_server.Port} is not served by moto_server process {_server.ProcessId}");
        S3 = S3ClientFactory.Create(new BasicAWSCredentials(AccessKey, SecretKey), new S3ClientSettings { Endpoint = Server.Url });
    }

    public async Task DisposeAsync()
    {
        S3?.Dispose();
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A deploy's environment: keys and the endpoint, nothing else.</summary>
    public MapEnvironment Environment() => new()
    {
        ["AWS_ENDPOINT_URL"] = Server.Url.ToString(),
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = "us-east-1",
    };

    public AwsConnector Connector(MapEnvironment? environment = null) => new(environment ?? Environment(), new InputFiles(Path.GetTempPath(), TextReader.Null), Http, TimeProvider.System, defaultChain: null);

    public async Task<string> NewBucketAsync(bool versioned = false)
    {
        var name = "kl-" + Guid.NewGuid().ToString("N")[..16];
        await S3.PutBucketAsync(new PutBucketRequest { BucketName = name });
        if (versioned)
        {
            await S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = name, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        }

        return name;
    }

    public static DeployTarget Target(string bucket, string? prefix = null, string? distribution = null) =>
        new(null, new BucketLayout(bucket, prefix), "us-east-1", distribution, null);

    /// <summary>Every object: key → ETag.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ObjectsAsync(string bucket)
    {
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = bucket };
        ListObjectsV2Response response;
        do
        {
            response = await S3.ListObjectsV2Async(request);
            foreach (var item in response.S3Objects ?? [])
            {
                objects[item.Key] = item.ETag;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        return objects;
    }

    public async Task<string> TextAsync(string bucket, string key)
    {
        using var response = await S3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    public async Task<string?> LiveReleaseAsync(string bucket, string? prefix = null)
    {
        var layout = new BucketLayout(bucket, prefix);
        try
        {
            var text = await TextAsync(bucket, layout.PointerKey);
            return ReleaseJson.ReadPointer("test", System.Text.Encoding.UTF8.GetBytes(text)).Release;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
