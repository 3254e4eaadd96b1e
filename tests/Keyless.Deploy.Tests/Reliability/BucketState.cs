using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using AngleSharp.Html.Parser;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Releases;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>One object as the bucket holds it: ETag (unquoted), and the headers when they were read.</summary>
internal sealed record BucketObject(string ETag, string? ContentType = null, string? CacheControl = null);

/// <summary>
/// A bucket read straight from S3 (not through keyless): every key with its ETag, optionally its headers, and
/// the deploy state files' content. Compares two buckets the way a reader would, and checks that what the
/// release pointer says is live is what is served.
/// </summary>
internal sealed class BucketState
{
    private static readonly HtmlParser Parser = new();
    /// <summary>Fields that differ from bucket to bucket: times, and the version IDs S3 gives objects.</summary>
    private static readonly string[] TimeFields = ["createdAt", "publishedAt", "at", "versionId"];

    private BucketState(string bucket, IReadOnlyDictionary<string, BucketObject> objects, IReadOnlyDictionary<string, string> state)
    {
        Bucket = bucket;
        Objects = objects;
        State = state;
    }

    public string Bucket { get; }

    public IReadOnlyDictionary<string, BucketObject> Objects { get; }

    /// <summary>The pointer and release records, their times taken out (they differ from run to run).</summary>
    public IReadOnlyDictionary<string, string> State { get; }

    public static async Task<BucketState> ReadAsync(IAmazonS3 s3, string bucket, bool headers = false)
    {
        var objects = new Dictionary<string, BucketObject>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = bucket };
        ListObjectsV2Response response;
        do
        {
            response = await s3.ListObjectsV2Async(request);
            foreach (var item in response.S3Objects ?? [])
            {
                objects[item.Key] = new BucketObject(item.ETag.Trim('"'));
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        if (headers)
        {
            foreach (var key in objects.Keys.ToList())
            {
                var head = await s3.GetObjectMetadataAsync(bucket, key);
                objects[key] = objects[key] with { ContentType = head.Headers.ContentType, CacheControl = head.Headers.CacheControl };
            }
        }

        var state = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in objects.Keys.Where(k => k.StartsWith(BucketLayout.StateFolder, StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal)))
        {
            state[key] = WithoutTimes(await TextAsync(s3, bucket, key));
        }

        return new BucketState(bucket, objects, state);
    }

    /// <summary>
    /// The same keys, the same ETags (headers too, when both were read), and the same pointer and records but for
    /// their times; the differences named otherwise.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(BucketState expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var differences = new List<string>();
        differences.AddRange(expected.Objects.Keys.Except(Objects.Keys).Order(StringComparer.Ordinal).Select(k => $"missing {k}"));
        differences.AddRange(Objects.Keys.Except(expected.Objects.Keys).Order(StringComparer.Ordinal).Select(k => $"extra {k}"));
        foreach (var (key, want) in expected.Objects.Where(o => Objects.ContainsKey(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var have = Objects[key];
            if (expected.State.TryGetValue(key, out var wantState))
            {
                if (State[key] != wantState)
                {
                    differences.Add($"{key}: {State[key]} instead of {wantState}");
                }
            }
            else if (have.ETag != want.ETag)
            {
                differences.Add($"{key}: ETag {have.ETag} instead of {want.ETag}");
            }

            if (want.ContentType is not null && have.ContentType is not null && (have.ContentType, have.CacheControl) != (want.ContentType, want.CacheControl))
            {
                differences.Add($"{key}: {have.ContentType} / {have.CacheControl} instead of {want.ContentType} / {want.CacheControl}");
            }
        }

        return differences;
    }

    /// <summary>The release the pointer names, or null.</summary>
    public string? LiveRelease =>
        State.TryGetValue(new BucketLayout(Bucket, null).PointerKey, out var pointer) ? JsonNode.Parse(pointer)!["release"]!.GetValue<string>() : null;

    /// <summary>
    /// What visitors get is the live release, whole: every file of its record is served with the record's bytes
    /// (ETag = MD5) and headers, and every page references only objects the bucket holds; and the other retained
    /// release can be restored from the bucket. Problems are named; none when consistent (or when nothing was ever
    /// published).
    /// </summary>
    public static async Task<IReadOnlyList<string>> LiveSiteProblemsAsync(IAmazonS3 s3, string bucket, int retain = 2)
    {
        var state = await ReadAsync(s3, bucket);
        var layout = new BucketLayout(bucket, null);
        if (state.LiveRelease is not { } live)
        {
            return [];
        }

        if (!state.Objects.ContainsKey(layout.RecordKey(live)))
        {
            return [$"the pointer names {live}, whose record {layout.RecordKey(live)} is missing"];
        }

        var record = ReleaseJson.ReadRecord(layout.RecordKey(live), Encoding.UTF8.GetBytes(await TextAsync(s3, bucket, layout.RecordKey(live))));
        var problems = new List<string>();
        foreach (var file in record.Files)
        {
            if (!state.Objects.TryGetValue(file.Path, out var served))
            {
                problems.Add($"{file.Path} of live release {live} is not in the bucket");
                continue;
            }

            if (served.ETag != file.Md5)
            {
                problems.Add($"{file.Path} is served with ETag {served.ETag}, but live release {live} has {file.Md5}");
            }

            var head = await s3.GetObjectMetadataAsync(bucket, file.Path);
            if ((head.Headers.ContentType, head.Headers.CacheControl) != (file.ContentType, file.CacheControl))
            {
                problems.Add($"{file.Path} is served as {head.Headers.ContentType} / {head.Headers.CacheControl}, but live release {live} has {file.ContentType} / {file.CacheControl}");
            }

            if (file.IsPage)
            {
                foreach (var reference in References(file.Path, await TextAsync(s3, bucket, file.Path)))
                {
                    if (!state.Objects.ContainsKey(reference))
                    {
                        problems.Add($"{file.Path} of live release {live} references {reference}, which is not in the bucket");
                    }
                }
            }
        }

        // And every other retained release can still be rolled back to: each file at its key, in the version its record
        // names (a versioned bucket), or an entry point in its content copy
        var pointer = ReleaseJson.ReadPointer(layout.PointerKey, Encoding.UTF8.GetBytes(await TextAsync(s3, bucket, layout.PointerKey)));
        foreach (var retained in pointer.Retained(retain).Where(r => r != live))
        {
            var other = ReleaseJson.ReadRecord(layout.RecordKey(retained), Encoding.UTF8.GetBytes(await TextAsync(s3, bucket, layout.RecordKey(retained))));
            foreach (var file in other.Files.Where(f => state.Objects.GetValueOrDefault(f.Path)?.ETag != f.Md5))
            {
                if (file.VersionId is { } version)
                {
                    var kept = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = file.Path, VersionId = version });
                    if (kept.ETag.Trim('"') != file.Md5)
                    {
                        problems.Add($"{file.Path} of retained release {retained} has version {version} with ETag {kept.ETag}, not {file.Md5}");
                    }

                    continue;
                }

                if (file.Kind != FileKind.EntryPoint || state.Objects.GetValueOrDefault(layout.ContentKey(file.Sha256))?.ETag != file.Md5)
                {
                    problems.Add($"{file.Path} of retained release {retained} is neither at its key nor in a content copy: it could not be rolled back to");
                }
            }
        }

        return problems;
    }

    /// <summary>The keys a page's stylesheets, scripts, images, icons and links point at (folders as their index.html).</summary>
    public static IEnumerable<string> References(string pagePath, string html)
    {
        var document = Parser.ParseDocument(html);
        var page = new Uri(new Uri("https://site.test/"), pagePath);
        foreach (var element in document.QuerySelectorAll("link[href], script[src], img[src], a[href]"))
        {
            var value = element.GetAttribute(element.LocalName is "link" or "a" ? "href" : "src")!;
            var target = new Uri(page, value);
            if (target.Host != page.Host)
            {
                continue;
            }

            var path = Uri.UnescapeDataString(target.AbsolutePath).TrimStart('/');
            yield return path.Length == 0 || path.EndsWith('/') ? path + "index.html" : path;
        }
    }

    public static async Task<string> TextAsync(IAmazonS3 s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private static string WithoutTimes(string json)
    {
        var node = JsonNode.Parse(json)!;
        Strip(node);
        return node.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var field in TimeFields)
                {
                    obj.Remove(field);
                }

                foreach (var (_, child) in obj)
                {
                    Strip(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Strip(child);
                }

                break;
        }
    }
}
