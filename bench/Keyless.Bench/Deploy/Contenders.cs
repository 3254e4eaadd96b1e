using System.Globalization;

namespace Keyless.Bench.Deploy;

/// <summary>One timed step of a sequence on one bucket: deploy a folder as a release, or go back to the release before.</summary>
internal sealed record Step(string Scenario, string Folder, string Release, bool Rollback = false);

/// <summary>
/// A tool that deploys a folder to the bucket, run as a process of its own with its endpoint pointed at
/// <c>endpoint</c> (the delay proxy): keyless, rclone (tuned as a user would for a content-compared sync, and with
/// its defaults) and <c>aws s3 sync --delete</c>. A tool without releases rolls back by syncing the previous
/// folder again.
/// </summary>
internal sealed record Contender(string Key, string Title, Func<LocalS3, Uri, Step, Task<ToolRun>> RunAsync)
{
    /// <summary>The server this contender needs whatever <c>--server</c> says; null: that one.</summary>
    public string? Server { get; init; }

    /// <summary>rclone's flags for this job: compare content (MD5 against ETag), do not rewrite objects for their mtime, one listing, 32 at a time.</summary>
    public static readonly string[] RcloneTuned = ["--checksum", "--no-update-modtime", "--fast-list", "--transfers", "32", "--checkers", "32"];

    public static IReadOnlyList<Contender> All(string cli) =>
    [
        new("keyless", "keyless (defaults)", (s3, endpoint, step) => KeylessAsync(cli, s3, endpoint, step)),
        new("keyless-versioned", "keyless, versioned bucket (moto)", (s3, endpoint, step) => KeylessAsync(cli, s3, endpoint, step)) { Server = LocalS3.Versioned },
        new("rclone-tuned", "rclone tuned", (s3, endpoint, step) => RcloneAsync(s3, endpoint, step, RcloneTuned)),
        new("rclone", "rclone defaults", (s3, endpoint, step) => RcloneAsync(s3, endpoint, step, [])),
        new("aws", "aws s3 sync --delete", AwsSyncAsync),
    ];

    public static Dictionary<string, string> Environment(LocalS3 s3, Uri endpoint) => new(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_S3"] = endpoint.ToString(),
        ["AWS_ACCESS_KEY_ID"] = s3.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = s3.SecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = "/nonexistent/aws-config",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    private static async Task<ToolRun> KeylessAsync(string cli, LocalS3 s3, Uri endpoint, Step step)
    {
        if (step.Rollback)
        {
            return await Tool.MeasureAsync("dotnet", Environment(s3, endpoint), cli, "rollback", "--bucket", LocalS3.Bucket, "--format", "json");
        }

        var dotenv = Path.Combine(Path.GetTempPath(), $"keyless-bench-{Guid.NewGuid():N}.env");
        try
        {
            return await Tool.MeasureAsync("dotnet", Environment(s3, endpoint), cli, "deploy", "--site", step.Folder, "--bucket", LocalS3.Bucket, "--release", step.Release, "--dotenv", dotenv, "--format", "json");
        }
        finally
        {
            File.Delete(dotenv);
        }
    }

    /// <summary>rclone with an S3 remote named <c>bench</c> configured by environment alone (provider Other, path-style).</summary>
    private static Task<ToolRun> RcloneAsync(LocalS3 s3, Uri endpoint, Step step, string[] flags)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["RCLONE_CONFIG"] = "/nonexistent/rclone.conf",
            ["RCLONE_CONFIG_BENCH_TYPE"] = "s3",
            ["RCLONE_CONFIG_BENCH_PROVIDER"] = "Other",
            ["RCLONE_CONFIG_BENCH_ENDPOINT"] = endpoint.ToString(),
            ["RCLONE_CONFIG_BENCH_ACCESS_KEY_ID"] = s3.AccessKey,
            ["RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY"] = s3.SecretKey,
            ["RCLONE_CONFIG_BENCH_REGION"] = "us-east-1",
            ["RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE"] = "true",
        };
        return Tool.MeasureAsync("rclone", environment, ["sync", step.Folder, $"bench:{LocalS3.Bucket}", "--log-level", "ERROR", .. flags]);
    }

    private static Task<ToolRun> AwsSyncAsync(LocalS3 s3, Uri endpoint, Step step)
    {
        var environment = new Dictionary<string, string>(Environment(s3, endpoint))
        {
            // botocore ≥ 1.36 would otherwise send aws-chunked bodies with a CRC trailer, which s3rver stores as they are.
            ["AWS_REQUEST_CHECKSUM_CALCULATION"] = "when_required",
            ["AWS_RESPONSE_CHECKSUM_VALIDATION"] = "when_required",
        };
        return Tool.MeasureAsync("aws", environment, "s3", "sync", step.Folder, $"s3://{LocalS3.Bucket}", "--delete", "--endpoint-url", endpoint.ToString(), "--only-show-errors", "--no-progress");
    }

    /// <summary>
    /// The ceiling of a first deploy: every file PUT as it is (no hashing, no headers, no order), <paramref name="concurrency"/>
    /// at a time, by a process of its own (<c>Keyless.Bench raw-put</c>) with the same SDK and settings as keyless.
    /// </summary>
    public static Task<ToolRun> RawPutAsync(LocalS3 s3, Uri endpoint, string site, int concurrency) =>
        Tool.MeasureAsync("dotnet", Environment(s3, endpoint), Bench, "raw-put", site, endpoint.ToString(), concurrency.ToString(CultureInfo.InvariantCulture));

    /// <summary>The floor of any redeploy that checks the bucket: a process of its own that only lists every object (<c>Keyless.Bench raw-list</c>).</summary>
    public static Task<ToolRun> RawListAsync(LocalS3 s3, Uri endpoint) =>
        Tool.MeasureAsync("dotnet", Environment(s3, endpoint), Bench, "raw-list", endpoint.ToString());

    private static string Bench => System.Reflection.Assembly.GetEntryAssembly()!.Location;
}
