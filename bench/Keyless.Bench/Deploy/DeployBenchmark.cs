using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3.Model;
using Keyless.Deploy.Storage;

namespace Keyless.Bench.Deploy;

/// <summary>
/// <c>keyless deploy</c> against rclone (tuned and with its defaults), <c>aws s3 sync --delete</c> and a raw
/// parallel PutObject loop, side by side on the same local S3 behind the same delay proxy. Each tool gets a
/// fresh server and runs the same sequence on it, each step timed: the first deploy of a generated site, a
/// redeploy from a fresh copy with 1% changed, a site-wide change (every page, no asset), and a rollback to the
/// release before. For every site size and every added delay per request; wall time, median of <c>--runs</c>,
/// with each process's peak memory and CPU time and the requests it sent, by kind.
/// </summary>
internal static class DeployBenchmark
{
    private const string DefaultRawConcurrency = "8,16,32,64";

    /// <summary>The raw loop's concurrency used to measure what the proxy itself costs (at 0 ms, against the direct endpoint).</summary>
    private const int ProxyCheckConcurrency = 32;

    private const string First = "first deploy";
    private const string Redeploy = "fresh-clone redeploy, 1% changed";
    private const string SiteWide = "site-wide change (every page)";
    private const string Rollback = "rollback to the previous release";
    private static readonly string[] Scenarios = [First, Redeploy, SiteWide, Rollback];

    public static async Task<int> RunAsync(string[] args)
    {
#if DEBUG
        Console.Error.WriteLine("Run the deploy benchmark on the Release build: dotnet run -c Release --project bench/Keyless.Bench -- deploy");
        await Task.CompletedTask;
        return 2;
#else
        var quick = args.Contains("--quick");
        var sizes = Options(args, "--files", quick ? "5000" : "5000,50000");
        var delays = Options(args, "--delay", "0,20");
        var runs = Option(args, "--runs", 1);
        var server = Text(args, "--server") ?? "s3rver";
        var root = RepositoryRoot();
        var cli = Path.Combine(root, "src", "Keyless.Cli", "bin", "Release", "net10.0", "keyless.dll");
        var wanted = (Text(args, "--contenders") ?? "keyless,keyless-versioned,rclone-tuned,rclone,aws,raw").Split(',');
        var contenders = Contender.All(cli).Where(c => wanted.Contains(c.Key)).ToList();
        var raw = wanted.Contains("raw");
        var rawConcurrency = Options(args, "--raw-concurrency", DefaultRawConcurrency);
        if (Text(args, "--write") is { } target)
        {
            // Only the versions of the site, for profiling by hand.
            var generated = BenchSite.Generate(sizes[0]);
            generated.WriteTo(Path.Combine(target, "v1"));
            generated.Changed().WriteTo(Path.Combine(target, "v2"));
            generated.Changed().SiteWide().WriteTo(Path.Combine(target, "v3"));
            Console.WriteLine($"{target}/v1, v2 and v3: {generated.Describe()}");
            return 0;
        }

        var tools = Path.Combine(root, "bench", "tools");
        // In memory when the machine has /dev/shm: the disk's own noise stays out of the comparison.
        var parent = Text(args, "--work") ?? (Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
        var work = Directory.CreateDirectory(Path.Combine(parent, "keyless-bench-deploy-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        Console.WriteLine($"keyless: {cli} ({RuntimeVersion()}); {Tool.Run("rclone", null, "version").Output.Split('\n')[0].Trim()}; {Tool.Run("aws", null, "--version").Output.Trim()}; server {server}");
        try
        {
            foreach (var files in sizes)
            {
                var results = new Results();
                var (steps, proxyCheck) = WriteSites(work, files);
                var expected = steps.Select(s => s.Folder).Distinct().ToDictionary(f => f, Md5s);
                for (var run = 1; run <= runs; run++)
                {
                    foreach (var delay in delays)
                    {
                        Console.Error.WriteLine($"{files} files, {delay} ms per request: run {run} of {runs}");
                        foreach (var contender in contenders)
                        {
                            await using var s3 = await LocalS3.StartAsync(contender.Server ?? server, tools, work);
                            await using var proxy = new DelayProxy(s3.Url, TimeSpan.FromMilliseconds(delay));
                            foreach (var step in steps)
                            {
                                Touch(step.Folder);
                                proxy.TakeCounts();
                                var measured = await contender.RunAsync(s3, proxy.Url, step);
                                results.Add(files, delay, contender.Key, step.Scenario, measured, proxy.TakeCounts());
                                await CheckAsync(s3, expected[step.Folder], $"{contender.Title}, {step.Scenario}");
                            }
                        }

                        if (raw)
                        {
                            await RawAsync(results, server, tools, work, files, delay, steps[0].Folder, expected[steps[0].Folder], rawConcurrency, proxyCheck && delay == 0 && rawConcurrency.Contains(ProxyCheckConcurrency));
                        }
                    }
                }

                results.Print(files, delays, contenders, raw, runs, Scenarios, rawConcurrency);
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

    /// <summary>The three versions of the site and the four steps over them: each step's folder is touched before it runs.</summary>
    private static (List<Step> Steps, bool ProxyCheck) WriteSites(string work, int files)
    {
        var site = BenchSite.Generate(files);
        var changed = site.Changed();
        var wide = changed.SiteWide();
        var (v1, v2, v3) = (Path.Combine(work, $"site-{files}-v1"), Path.Combine(work, $"site-{files}-v2"), Path.Combine(work, $"site-{files}-v3"));
        site.WriteTo(v1);
        changed.WriteTo(v2);
        wide.WriteTo(v3);
        Console.WriteLine($"Site: {site.Describe()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Redeploy: {changed.Files.Zip(site.Files).Count(p => p.First != p.Second)} files changed (pages edited in place, assets under new names); site-wide change: {wide.Files.Zip(changed.Files).Count(p => p.First != p.Second)} pages"));
        return ([new(First, v1, "r1"), new(Redeploy, v2, "r2"), new(SiteWide, v3, "r3"), new(Rollback, v2, "r2", Rollback: true)], true);
    }

    /// <summary>
    /// Every file's mtime set to now, as a fresh CI clone and build has, after the bucket's objects were written:
    /// a tool that compares times (aws s3 sync, rclone's defaults) then sees every file as newer, as it does in CI.
    /// </summary>
    private static void Touch(string folder)
    {
        var now = DateTime.UtcNow;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, now);
        }
    }

    /// <summary>
    /// The raw loop at each concurrency into a fresh bucket (the first deploy's ceiling), then the listing-only
    /// process over the last one (the floor of a redeploy that checks the bucket); at 0 ms, when 32 is among the
    /// concurrencies, also the loop straight to the server at 32, which tells what the proxy costs.
    /// </summary>
    private static async Task RawAsync(Results results, string server, string tools, string work, int files, int delay, string site, Dictionary<string, string> expected, int[] rawConcurrency, bool proxyCheck)
    {
        foreach (var concurrency in rawConcurrency)
        {
            await using var s3 = await LocalS3.StartAsync(server, tools, work);
            await using var proxy = new DelayProxy(s3.Url, TimeSpan.FromMilliseconds(delay));
            proxy.TakeCounts();
            results.Add(files, delay, $"raw {concurrency}", First, await Contender.RawPutAsync(s3, proxy.Url, site, concurrency), proxy.TakeCounts());
            await CheckAsync(s3, expected, $"raw PutObject at {concurrency}");
            if (concurrency == rawConcurrency[^1])
            {
                results.Add(files, delay, "raw list", Redeploy, await Contender.RawListAsync(s3, proxy.Url), proxy.TakeCounts());
            }
        }

        if (proxyCheck)
        {
            await using var s3 = await LocalS3.StartAsync(server, tools, work);
            results.Add(files, delay, "raw direct", First, await Contender.RawPutAsync(s3, s3.Url, site, ProxyCheckConcurrency), new Dictionary<string, int>());
        }
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

    private static Dictionary<string, string> Md5s(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'), f => Md5(File.ReadAllBytes(f)), StringComparer.Ordinal);

#pragma warning disable CA5351 // S3's ETag
    private static string Md5(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351

    private static string? Text(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

    private static int Option(string[] args, string name, int fallback) =>
        Text(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static int[] Options(string[] args, string name, string fallback) =>
        [.. (Text(args, name) ?? fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];

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
