using System.Diagnostics;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Keyless.Deploy.Storage;
using Keyless.Local.Cloud;

namespace Keyless.Bench.Deploy;

/// <summary>
/// A fresh local S3 with one empty bucket: s3rver 3.7.1 (Node, from bench/tools; keys S3RVER/S3RVER; data in a
/// folder of its own, deleted afterwards) or moto_server. Stopped and cleaned up on dispose.
/// </summary>
internal sealed class LocalS3 : IAsyncDisposable
{
    public const string Bucket = "bench-site";

    private readonly Process? _process;
    private readonly MotoServer? _moto;
    private readonly string? _data;

    private LocalS3(string name, Uri url, string accessKey, Process? process, MotoServer? moto, string? data)
    {
        Name = name;
        Url = url;
        AccessKey = accessKey;
        _process = process;
        _moto = moto;
        _data = data;
    }

    public string Name { get; }

    public Uri Url { get; }

    public string AccessKey { get; }

    public string SecretKey => AccessKey;

    public static Task<LocalS3> StartAsync(string server, string tools, string work) => server switch
    {
        "s3rver" => StartS3rverAsync(tools, work),
        "moto" => StartMotoAsync(versioned: false),
        Versioned => StartMotoAsync(versioned: true),
        _ => throw new ArgumentException($"unknown server {server}; expected s3rver or moto", nameof(server)),
    };

    public AmazonS3Client Client(int maxConnections = 32) =>
        S3ClientFactory.Create(new BasicAWSCredentials(AccessKey, SecretKey), new S3ClientSettings { Endpoint = Url, MaxConnections = maxConnections });

    /// <summary>Every object of the bucket: key → ETag without quotes.</summary>
    public async Task<Dictionary<string, string>> ObjectsAsync()
    {
        using var s3 = Client();
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = Bucket };
        ListObjectsV2Response response;
        do
        {
            response = await s3.ListObjectsV2Async(request);
            foreach (var item in response.S3Objects ?? [])
            {
                objects[item.Key] = item.ETag.Trim('"');
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        return objects;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _process.Dispose();
        }

        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }

        if (_data is not null && Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static async Task<LocalS3> StartS3rverAsync(string tools, string work)
    {
        var script = Path.Combine(tools, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            Tool.Run("npm", tools, "ci", "--no-audit", "--no-fund", "--silent");
        }

        var data = Path.Combine(work, "s3rver-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        var port = LoopbackPorts.Free();
        var info = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // s3rver signs listing continuation tokens with DES, which Node's OpenSSL 3 only has in its legacy provider.
        foreach (var argument in new[] { "--openssl-legacy-provider", script, "-d", data, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s", "--configure-bucket", Bucket })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LocalS3("s3rver 3.7.1", new Uri($"http://127.0.0.1:{port}"), "S3RVER", process, null, data);
        await WaitAsync(server, port, process);
        return server;
    }

    /// <summary>moto_server with S3 versioning enabled on the bucket (s3rver has no versioning).</summary>
    public const string Versioned = "moto-versioned";

    private static async Task<LocalS3> StartMotoAsync(bool versioned)
    {
        var moto = await MotoServer.StartAsync();
        var server = new LocalS3(versioned ? "moto 5.2.1, versioned bucket" : "moto 5.2.1", moto.Url, "bench", null, moto, null);
        using var s3 = server.Client();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        if (versioned)
        {
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = Bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        }

        return server;
    }

    private static async Task WaitAsync(LocalS3 server, int port, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"s3rver exited with code {process.ExitCode} before serving on port {port}");
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port);
                await server.ObjectsAsync();
                return;
            }
            catch (Exception e) when (e is SocketException or AmazonServiceException or HttpRequestException or IOException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"s3rver did not serve on port {port} within 30 s");
    }
}
