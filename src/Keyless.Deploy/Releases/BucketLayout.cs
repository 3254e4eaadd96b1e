using Keyless.Core;
using Keyless.Core.Configuration;

namespace Keyless.Deploy.Releases;

/// <summary>
/// Where everything lives in the bucket, under the environment's prefix <c>P</c> (empty: the bucket's root):
/// <list type="bullet">
/// <item><c>P&lt;path&gt;</c> — the site's files, served as they are;</item>
/// <item><c>P.keyless/current.json</c> — the release pointer: which release is live, and the publication history;</item>
/// <item><c>P.keyless/releases/&lt;id&gt;.json</c> — one record per release: every file with size, MD5, SHA-256, kind and headers;</item>
/// <item><c>P.keyless/content/&lt;sha256&gt;</c> — a content-addressed copy of every entry point (HTML and other
/// unhashed files) a retained release needs: what a rollback copies back, and where a deploy publishes entry points from.</item>
/// </list>
/// </summary>
public sealed record BucketLayout
{
    public const string StateFolder = ".keyless/";

    public BucketLayout(string bucket, string? prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        Bucket = bucket;
        Prefix = Normalize(prefix);
    }

    public string Bucket { get; }

    /// <summary>Empty, or folder names ending with <c>/</c>.</summary>
    public string Prefix { get; }

    public string StatePrefix => Prefix + StateFolder;

    public string PointerKey => StatePrefix + "current.json";

    public string RecordsPrefix => StatePrefix + "releases/";

    public string ContentPrefix => StatePrefix + "content/";

    public string SiteKey(string path) => Prefix + path;

    public string RecordKey(string release) => RecordsPrefix + release + ".json";

    public string ContentKey(string sha256) => ContentPrefix + sha256;

    /// <summary>The site path of a key, or null for the state folder and keys outside the prefix.</summary>
    public string? SitePath(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && !key.StartsWith(StatePrefix, StringComparison.Ordinal) && key.Length > Prefix.Length
            ? key[Prefix.Length..]
            : null;

    /// <summary>The release a record key names, or null.</summary>
    public string? RecordRelease(string key) =>
        key.StartsWith(RecordsPrefix, StringComparison.Ordinal) && key.EndsWith(".json", StringComparison.Ordinal) && key.IndexOf('/', RecordsPrefix.Length) < 0
            ? key[RecordsPrefix.Length..^".json".Length]
            : null;

    public override string ToString() => $"s3://{Bucket}/{Prefix}";

    private static string Normalize(string? prefix)
    {
        var trimmed = (prefix ?? "").Trim().Trim('/');
        if (trimmed.Length == 0)
        {
            return "";
        }

        return KeylessConfigParser.IsValidPrefix(trimmed)
            ? trimmed + "/"
            : throw KeylessException.Input($"--prefix \"{prefix}\": expected folder names separated by /, such as \"staging\" or \"sites/www\" (letters, digits, . _ -; no segment may start with a dot, .keyless/ holds the deploy state).");
    }
}
