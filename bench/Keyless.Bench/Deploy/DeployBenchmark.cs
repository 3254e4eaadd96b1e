using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3.Model;
using Keyless.Deploy.Storage;

namespace Keyless.Bench.Deploy;

/// <summary>
/// <c>keyless deploy</c> against <c>aws s3 sync --delete</c> and a raw parallel PutObject loop, side by side on
/// the same local S3, each measurement on a fresh server: (a) the first deploy of a generated 5,000-file site,
/// (b) a redeploy from a fresh copy of the site (every mtime new) with 1% of the files changed. Wall time,
/// median of <c>--runs</c> (3). keyless is the Release build of the CLI run as a process; the AWS CLI is the
/// one on PATH.
/// </summary>
internal static class DeployBenchmark
{
    private static readonly int[] RawConcurrency = [8, 16, 32];

    /// <summary>keyless is also run at the raw loop's usual best, to tell the cost of its work from that of its default.</summary>
    private const int MatchedConcurrency = 32;

    public static async Task<int> RunAsync(string[] args)
    {
#if DEBUG
        Console.Error.WriteLine("Run the deploy benchmark on the Release build: dotnet run -c Release --project bench/Keyless.Bench -- deploy");
        await Task.CompletedTask;
        return 2;
#else
        var files = Option(args, "--files", 5000);
        var runs = Option(args, "--runs", 3);
        var servers = (args.SkipWhile(a => a != "--server").Skip(1).FirstOrDefault() ?? "s3rver").Split(',');
        if (args.SkipWhile(a => a != "--write").Skip(1).FirstOrDefault() is { } target)
        {
            // Only the two versions of the site, for profiling by hand.
            var generated = BenchSite.Generate(files);
            generated.WriteTo(Path.Combine(target, "v1"));
            generated.Changed().WriteTo(Path.Combine(target, "v2"));
            Console.WriteLine($"{target}/v1 and {target}/v2: {generated.Describe()}");
            return 0;
        }

        var root = RepositoryRoot();
        var cli = Path.Combine(root, "src", "Keyless.Cli", "bin", "Release", "net10.0", "keyless.dll");
        var tools = Path.Combine(root, "bench", "tools");
        // In memory when the machine has /dev/shm: the disk's own noise stays out of the comparison.
        var parent = args.SkipWhile(a => a != "--work").Skip(1).FirstOrDefault() ?? (Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
        var work = Directory.CreateDirectory(Path.Combine(parent, "keyless-bench-deploy-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            var site = BenchSite.Generate(files);
            var changed = site.Changed();
            var first = Path.Combine(work, "site-v1");
            site.WriteTo(first);
            var expected = Md5s(first);
            Console.WriteLine($"Site: {site.Describe()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Redeploy: {changed.Files.Zip(site.Files).Count(p => p.First != p.Second)} files changed (pages edited in place, assets under new names)"));
            Console.WriteLine($"keyless: {cli} ({RuntimeVersion()}); {Tool.Run("aws", null, "--version").Output.Trim()}");
            foreach (var server in servers)
            {
                await MeasureAsync(server, runs, cli, tools, work, first, expected, changed);
            }
        }
        finally
        {
            if (!args.Contains("--keep"))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        return 0;
#endif
    }

    private static async Task MeasureAsync(string server, int runs, string cli, string tools, string work, string first, Dictionary<string, string> expected, BenchSite changed)
    {
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string name, TimeSpan elapsed)
        {
            (samples.TryGetValue(name, out var list) ? list : samples[name] = []).Add(elapsed.TotalSeconds);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {server} {name}: {elapsed.TotalSeconds:F2} s"));
        }

        string serverName = server;
        for (var run = 1; run <= runs; run++)
        {
            Console.Error.WriteLine($"{server}: run {run} of {runs}");

            // (a) first deploy, each contender on a fresh, empty bucket
            await using (var s3 = await LocalS3.StartAsync(server, tools, work))
            {
                serverName = s3.Name;
                Add("a keyless", await KeylessAsync(s3, cli, first, "r1"));
                await CheckAsync(s3, expected, "keyless deploy");
            }

            await using (var s3 = await LocalS3.StartAsync(server, tools, work))
            {
                Add($"a keyless {MatchedConcurrency}", await KeylessAsync(s3, cli, first, "r1", MatchedConcurrency));
                await CheckAsync(s3, expected, $"keyless deploy --concurrency {MatchedConcurrency}");
            }

            await using (var s3 = await LocalS3.StartAsync(server, tools, work))
            {
                Add("a aws", await AwsSyncAsync(s3, first));
                await CheckAsync(s3, expected, "aws s3 sync");
            }

            foreach (var concurrency in RawConcurrency)
            {
                await using var s3 = await LocalS3.StartAsync(server, tools, work);
                Add($"a raw {concurrency}", await RawAsync(s3, first, concurrency));
                await CheckAsync(s3, expected, "raw PutObject");
            }

            // (b) redeploy from a fresh copy with 1% changed, over the same tool's first deploy
            await using (var s3 = await LocalS3.StartAsync(server, tools, work))
            {
                await KeylessAsync(s3, cli, first, "r1");
                await CheckAsync(s3, expected, "keyless deploy");
                Add("b list", await RawListAsync(s3));
                var fresh = Fresh(work, changed);
                Add("b keyless", await KeylessAsync(s3, cli, fresh, "r2"));
                await CheckAsync(s3, Md5s(fresh), "keyless deploy (redeploy)");
                Directory.Delete(fresh, recursive: true);
            }

            await using (var s3 = await LocalS3.StartAsync(server, tools, work))
            {
                await AwsSyncAsync(s3, first);
                await CheckAsync(s3, expected, "aws s3 sync");
                var fresh = Fresh(work, changed);
                Add("b aws", await AwsSyncAsync(s3, fresh));
                await CheckAsync(s3, Md5s(fresh), "aws s3 sync (redeploy)");
                Directory.Delete(fresh, recursive: true);
            }
        }

        double Median(string name) => samples[name].Order().ElementAt(samples[name].Count / 2);
        var best = RawConcurrency.MinBy(c => Median($"a raw {c}"));
        var raw = Median($"a raw {best}");
        var (aKeyless, aAws, bKeyless, bAws) = (Median("a keyless"), Median("a aws"), Median("b keyless"), Median("b aws"));
        var aMatched = Median($"a keyless {MatchedConcurrency}");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"## keyless deploy against {serverName} (wall time, median of {runs}; each on a fresh server)"));
        Console.WriteLine();
        Console.WriteLine("| measurement | keyless deploy | aws s3 sync --delete | raw PutObject loop |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (a) first deploy | {aKeyless:F2} s | {aAws:F2} s | {raw:F2} s (concurrency {best}; {string.Join(", ", RawConcurrency.Select(c => $"{c}: {Median($"a raw {c}"):F2} s"))}) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (b) redeploy, fresh copy, 1% changed | {bKeyless:F2} s | {bAws:F2} s | {Median("b list"):F2} s (listing the bucket, nothing else) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (a) first deploy, keyless --concurrency {MatchedConcurrency} | {aMatched:F2} s | | |"));
        Console.WriteLine();
        Console.WriteLine("| ratio | measured | target |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (b) redeploy: aws s3 sync time / keyless time | {bAws / bKeyless:F1}× | ≥ 20× |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (b) the most any lister could reach: aws s3 sync time / listing-only time | {bAws / Median("b list"):F1}× | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (a) first deploy: aws s3 sync time / keyless time | {aAws / aKeyless:F2}× | ≥ 1.5× |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (a) first deploy: raw ceiling time / keyless time | {raw / aKeyless:P0} | ≥ 90% |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (a) first deploy: raw ceiling time / keyless --concurrency {MatchedConcurrency} time | {raw / aMatched:P0} | (≥ 90%) |"));
        Console.WriteLine();
        Console.WriteLine($"samples (s): {string.Join("; ", samples.Select(s => $"{s.Key}: {string.Join(" ", s.Value.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))}"))}");
    }

    private static async Task<TimeSpan> KeylessAsync(LocalS3 s3, string cli, string site, string release, int? concurrency = null)
    {
        var dotenv = Path.Combine(Path.GetTempPath(), $"keyless-bench-{Guid.NewGuid():N}.env");
        string[] extra = concurrency is { } c ? ["--concurrency", c.ToString(CultureInfo.InvariantCulture)] : [];
        var (elapsed, _) = await Tool.RunAsync("dotnet", null, Environment(s3), [cli, "deploy", "--site", site, "--bucket", LocalS3.Bucket, "--release", release, "--dotenv", dotenv, "--format", "json", .. extra]);
        File.Delete(dotenv);
        return elapsed;
    }

    private static async Task<TimeSpan> AwsSyncAsync(LocalS3 s3, string site)
    {
        var environment = new Dictionary<string, string>(Environment(s3))
        {
            // botocore ≥ 1.36 would otherwise send aws-chunked bodies with a CRC trailer, which s3rver stores as they are.
            ["AWS_REQUEST_CHECKSUM_CALCULATION"] = "when_required",
            ["AWS_RESPONSE_CHECKSUM_VALIDATION"] = "when_required",
        };
        var (elapsed, _) = await Tool.RunAsync("aws", null, environment, "s3", "sync", site, $"s3://{LocalS3.Bucket}", "--delete", "--endpoint-url", s3.Url.ToString(), "--only-show-errors", "--no-progress");
        return elapsed;
    }

    /// <summary>
    /// The ceiling: every file PUT as it is (no hashing, no headers, no order), <paramref name="concurrency"/> at a
    /// time, by a process of its own like the other two (<c>Keyless.Bench raw-put</c>), with the same SDK and settings.
    /// </summary>
    private static async Task<TimeSpan> RawAsync(LocalS3 s3, string site, int concurrency)
    {
        var bench = System.Reflection.Assembly.GetEntryAssembly()!.Location;
        var (elapsed, _) = await Tool.RunAsync("dotnet", null, Environment(s3), bench, "raw-put", site, s3.Url.ToString(), concurrency.ToString(CultureInfo.InvariantCulture));
        return elapsed;
    }

    /// <summary>
    /// The floor of any redeploy that checks the bucket: a process of its own that only lists every object
    /// (<c>Keyless.Bench raw-list</c>), on the bucket keyless's redeploy then starts from.
    /// </summary>
    private static async Task<TimeSpan> RawListAsync(LocalS3 s3)
    {
        var bench = System.Reflection.Assembly.GetEntryAssembly()!.Location;
        var (elapsed, _) = await Tool.RunAsync("dotnet", null, Environment(s3), bench, "raw-list", s3.Url.ToString());
        return elapsed;
    }

    /// <summary><c>raw-list ENDPOINT</c>: every page of ListObjectsV2, one after the other, keys from the environment.</summary>
    public static async Task<int> RawListAsync(string[] args)
    {
        using var client = S3ClientFactory.Create(
            new BasicAWSCredentials(System.Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")!, System.Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")!),
            new S3ClientSettings { Endpoint = new Uri(args[0]) });
        var request = new ListObjectsV2Request { BucketName = LocalS3.Bucket };
        var count = 0;
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request);
            count += response.S3Objects?.Count ?? 0;
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        Console.WriteLine(count);
        return 0;
    }

    /// <summary><c>raw-put SITE ENDPOINT CONCURRENCY</c>: the raw loop itself, keys from the environment.</summary>
    public static async Task<int> RawPutAsync(string[] args)
    {
        var (site, endpoint, concurrency) = (args[0], new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture));
        var keys = Directory.EnumerateFiles(site, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(site, f).Replace(Path.DirectorySeparatorChar, '/')).ToList();
        var accessKey = System.Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID")!;
        using var client = S3ClientFactory.Create(
            new BasicAWSCredentials(accessKey, System.Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")!),
            new S3ClientSettings { Endpoint = endpoint, MaxConnections = Math.Max(32, concurrency) });
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (key, token) =>
            await client.PutObjectAsync(new PutObjectRequest { BucketName = LocalS3.Bucket, Key = key, FilePath = Path.Combine(site, key), UseChunkEncoding = false }, token));
        return 0;
    }

    private static Dictionary<string, string> Environment(LocalS3 s3) => new(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_S3"] = s3.Url.ToString(),
        ["AWS_ACCESS_KEY_ID"] = s3.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = s3.SecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = "/nonexistent/aws-config",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>
    /// Every site file is in the bucket with its bytes: the listed ETag is its MD5, or else the object read back is.
    /// (s3rver 3.7.1 keeps the old ETag when a copy with new headers lands on an existing key; the bytes are right.)
    /// Listing also makes s3rver compute the MD5s it computes lazily, so the next timed run does not pay for them.
    /// </summary>
    private static async Task CheckAsync(LocalS3 s3, Dictionary<string, string> expected, string who)
    {
        var objects = await s3.ObjectsAsync();
        var wrong = new List<string>();
        using var client = s3.Client();
        using var http = new HttpClient();
        foreach (var (key, md5) in expected.Where(e => !objects.TryGetValue(e.Key, out var etag) || etag != e.Value))
        {
            // Read back over plain HTTP: the SDK would refuse bytes that do not match the (stale) ETag.
            var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = LocalS3.Bucket, Key = key, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
            using var response = await http.GetAsync(url);
            if (!response.IsSuccessStatusCode || Md5(await response.Content.ReadAsByteArrayAsync()) != md5)
            {
                wrong.Add(key);
            }
        }

        if (wrong.Count > 0)
        {
            throw new InvalidOperationException($"after {who}, {wrong.Count} of {expected.Count} files are missing or differ in {s3.Name} (e.g. {wrong[0]})");
        }
    }

    private static string Fresh(string work, BenchSite site)
    {
        var folder = Path.Combine(work, "site-" + Guid.NewGuid().ToString("N")[..8]);
        site.WriteTo(folder);
        return folder;
    }

    private static Dictionary<string, string> Md5s(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'), f => Md5(File.ReadAllBytes(f)), StringComparer.Ordinal);

#pragma warning disable CA5351 // S3's ETag
    private static string Md5(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351

    private static int Option(string[] args, string name, int fallback) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Keyless.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Keyless.slnx not found above the benchmark's folder");
    }

    private static string RuntimeVersion() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
}
