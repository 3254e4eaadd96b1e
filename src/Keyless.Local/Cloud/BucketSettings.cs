using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Keyless.Core;

namespace Keyless.Local.Cloud;

/// <summary>
/// One lifecycle rule of a bucket, in the terms the S3 API reads back: what the local cloud applies of an
/// <c>AWS::S3::Bucket</c>'s <c>LifecycleConfiguration</c> rule. Only expirations: the local cloud has no storage classes.
/// </summary>
public sealed record ExpiryRule(string Id, bool Enabled, string Prefix)
{
    public int? ExpirationDays { get; init; }

    public bool ExpiredObjectDeleteMarker { get; init; }

    public int? NoncurrentDays { get; init; }

    public int? NewerNoncurrentVersions { get; init; }

    public int? AbortIncompleteMultipartUploadDays { get; init; }

    /// <summary>
    /// Whether <paramref name="current"/>, as the server reads it back, is this rule. moto 5.2.1 keeps only
    /// NoncurrentDays of a NoncurrentVersionExpiration (its S3 model has no field for NewerNoncurrentVersions), so a
    /// read-back without NewerNoncurrentVersions does not count as a difference.
    /// </summary>
    public bool Matches(ExpiryRule current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return this == current with { NewerNoncurrentVersions = current.NewerNoncurrentVersions ?? NewerNoncurrentVersions };
    }

    /// <summary>The rule as PutBucketLifecycleConfiguration takes it: CloudFormation's rule-level Prefix is the S3 API's
    /// Filter.Prefix, ExpirationInDays and ExpiredObjectDeleteMarker are its Expiration's Days and ExpiredObjectDeleteMarker.</summary>
    public LifecycleRule ToS3() => new()
    {
        Id = Id,
        Status = Enabled ? LifecycleRuleStatus.Enabled : LifecycleRuleStatus.Disabled,
        Filter = new LifecycleFilter { Prefix = Prefix },
        Expiration = ExpirationDays is not null || ExpiredObjectDeleteMarker
            ? new LifecycleRuleExpiration { Days = ExpirationDays, ExpiredObjectDeleteMarker = ExpiredObjectDeleteMarker ? true : null }
            : null,
        NoncurrentVersionExpiration = NoncurrentDays is { } days
            ? new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = days, NewerNoncurrentVersions = NewerNoncurrentVersions }
            : null,
        AbortIncompleteMultipartUpload = AbortIncompleteMultipartUploadDays is { } abort
            ? new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = abort }
            : null,
    };

    /// <summary>A rule as GetBucketLifecycleConfiguration reads it back; null when it holds more than an expiry rule can say
    /// (tags, sizes, storage classes), so that it never matches one.</summary>
    public static ExpiryRule? FromS3(LifecycleRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var filter = rule.Filter;
        if (filter is { Tag: not null } or { And: not null } or { ObjectSizeGreaterThan: not null } or { ObjectSizeLessThan: not null }
            || filter?.LifecycleFilterPredicate is not (null or LifecyclePrefixPredicate)
            || rule.Transitions is { Count: > 0 } || rule.NoncurrentVersionTransitions is { Count: > 0 } || rule.Expiration?.Date is not null)
        {
            return null;
        }

        // A rule written with the S3 API's older rule-level Prefix (not by keyless) reads back with it, no Filter.
#pragma warning disable CS0618
        var prefix = filter?.Prefix ?? (filter?.LifecycleFilterPredicate as LifecyclePrefixPredicate)?.Prefix ?? rule.Prefix ?? "";
#pragma warning restore CS0618
        return new ExpiryRule(rule.Id ?? "", rule.Status == LifecycleRuleStatus.Enabled, prefix)
        {
            ExpirationDays = rule.Expiration?.Days,
            ExpiredObjectDeleteMarker = rule.Expiration?.ExpiredObjectDeleteMarker == true,
            NoncurrentDays = rule.NoncurrentVersionExpiration?.NoncurrentDays,
            NewerNoncurrentVersions = rule.NoncurrentVersionExpiration?.NewerNoncurrentVersions,
            AbortIncompleteMultipartUploadDays = rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
        };
    }
}

/// <summary>
/// What the local cloud applies of an <c>AWS::S3::Bucket</c> besides its name: versioning and expiry rules, so a local
/// bucket keeps versions like the stack's. The other properties (encryption, ownership, public access block) change
/// nothing a deploy can observe on moto and are not applied.
/// </summary>
/// <param name="Versioning">"Enabled", "Suspended", or null when the template says nothing (never versioned).</param>
/// <param name="Lifecycle">The expiry rules, in the template's order; empty when it has none.</param>
public sealed record BucketSettings(string? Versioning, IReadOnlyList<ExpiryRule> Lifecycle)
{
    public static readonly BucketSettings None = new(null, []);

    // The CloudFormation rule properties of an expiry, by their names in the template reference:
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-s3-bucket-rule.html
    private static readonly string[] RuleProperties =
    [
        "Id", "Status", "Prefix", "ExpirationInDays", "ExpiredObjectDeleteMarker", "NoncurrentVersionExpiration",
        "NoncurrentVersionExpirationInDays", "AbortIncompleteMultipartUpload",
    ];

    /// <summary>Reads the settings of the bucket <paramref name="logicalId"/>; refuses a value it cannot apply as written.</summary>
    public static BucketSettings From(string source, string logicalId, JsonNode? properties)
    {
        ArgumentNullException.ThrowIfNull(logicalId);
        var path = $"$.Resources.{logicalId}.Properties";
        string? versioning = null;
        if (properties?["VersioningConfiguration"] is { } configuration)
        {
            var status = configuration["Status"];
            versioning = JsonText.Of(status) is "Enabled" or "Suspended"
                ? JsonText.Of(status)
                : throw KeylessException.AtJson(source, $"{path}.VersioningConfiguration.Status", Describe(status), "\"Enabled\" or \"Suspended\", as CloudFormation takes it");
        }

        var rules = new List<ExpiryRule>();
        if (properties?["LifecycleConfiguration"] is { } lifecycle)
        {
            var list = lifecycle["Rules"] as JsonArray
                ?? throw KeylessException.AtJson(source, $"{path}.LifecycleConfiguration.Rules", Describe(lifecycle["Rules"]), "a list of rules");
            foreach (var extra in (lifecycle as JsonObject ?? []).Select(p => p.Key).Where(k => k != "Rules"))
            {
                throw Unsupported(source, $"{path}.LifecycleConfiguration.{extra}", extra);
            }

            rules.AddRange(list.Select((rule, i) => Rule(source, $"{path}.LifecycleConfiguration.Rules[{i}]", rule, $"{logicalId}Rule{i}")));
        }

        return new BucketSettings(versioning, rules);
    }

    private static ExpiryRule Rule(string source, string path, JsonNode? node, string defaultId)
    {
        if (node is not JsonObject rule)
        {
            throw KeylessException.AtJson(source, path, Describe(node), "a lifecycle rule object");
        }

        foreach (var name in rule.Select(p => p.Key).Where(k => !RuleProperties.Contains(k, StringComparer.Ordinal)))
        {
            throw Unsupported(source, $"{path}.{name}", name);
        }

        var status = JsonText.Of(rule["Status"]) is "Enabled" or "Disabled"
            ? JsonText.Of(rule["Status"])
            : throw KeylessException.AtJson(source, $"{path}.Status", Describe(rule["Status"]), "\"Enabled\" or \"Disabled\"");
        var id = rule["Id"] is null ? defaultId : Text(source, $"{path}.Id", rule["Id"]);
        var prefix = rule["Prefix"] is null ? "" : Text(source, $"{path}.Prefix", rule["Prefix"]);
        var noncurrent = rule["NoncurrentVersionExpiration"];
        if (noncurrent is not null && rule["NoncurrentVersionExpirationInDays"] is not null)
        {
            throw KeylessException.AtJson(source, $"{path}.NoncurrentVersionExpirationInDays", "it next to NoncurrentVersionExpiration", "one of the two (NoncurrentVersionExpiration.NoncurrentDays says the same)");
        }

        if (rule["ExpiredObjectDeleteMarker"] is not null && rule["ExpirationInDays"] is not null && Flag(source, $"{path}.ExpiredObjectDeleteMarker", rule["ExpiredObjectDeleteMarker"]))
        {
            throw KeylessException.AtJson(source, $"{path}.ExpiredObjectDeleteMarker", "true next to ExpirationInDays", "one of the two in a rule, as S3 takes them (put them in two rules)");
        }

        Only(source, $"{path}.NoncurrentVersionExpiration", noncurrent, "NoncurrentDays", "NewerNoncurrentVersions");
        Only(source, $"{path}.AbortIncompleteMultipartUpload", rule["AbortIncompleteMultipartUpload"], "DaysAfterInitiation");
        var read = new ExpiryRule(id, status == "Enabled", prefix)
        {
            ExpirationDays = Number(source, $"{path}.ExpirationInDays", rule["ExpirationInDays"]),
            ExpiredObjectDeleteMarker = Flag(source, $"{path}.ExpiredObjectDeleteMarker", rule["ExpiredObjectDeleteMarker"]),
            NoncurrentDays = noncurrent is null
                ? Number(source, $"{path}.NoncurrentVersionExpirationInDays", rule["NoncurrentVersionExpirationInDays"])
                : Number(source, $"{path}.NoncurrentVersionExpiration.NoncurrentDays", noncurrent["NoncurrentDays"])
                    ?? throw KeylessException.AtJson(source, $"{path}.NoncurrentVersionExpiration.NoncurrentDays", "nothing", "the number of days a version stays once it is noncurrent"),
            NewerNoncurrentVersions = Number(source, $"{path}.NoncurrentVersionExpiration.NewerNoncurrentVersions", noncurrent?["NewerNoncurrentVersions"]),
            AbortIncompleteMultipartUploadDays = rule["AbortIncompleteMultipartUpload"] is { } abort
                ? Number(source, $"{path}.AbortIncompleteMultipartUpload.DaysAfterInitiation", abort["DaysAfterInitiation"])
                    ?? throw KeylessException.AtJson(source, $"{path}.AbortIncompleteMultipartUpload.DaysAfterInitiation", "nothing", "a number of days")
                : null,
        };
        return read is { ExpirationDays: null, ExpiredObjectDeleteMarker: false, NoncurrentDays: null, AbortIncompleteMultipartUploadDays: null }
            ? throw KeylessException.AtJson(source, path, "a rule that does nothing", "at least one of ExpirationInDays, ExpiredObjectDeleteMarker: true, NoncurrentVersionExpiration and AbortIncompleteMultipartUpload")
            : read;
    }

    private static void Only(string source, string path, JsonNode? node, params string[] names)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject obj)
        {
            throw KeylessException.AtJson(source, path, Describe(node), $"an object with {string.Join(" and ", names)}");
        }

        foreach (var name in obj.Select(p => p.Key).Where(k => !names.Contains(k, StringComparer.Ordinal)))
        {
            throw Unsupported(source, $"{path}.{name}", name);
        }
    }

    private static KeylessException Unsupported(string source, string path, string name) =>
        KeylessException.AtJson(source, path, $"{name}, which keyless local apply does not apply", $"only expiry rules ({string.Join(", ", RuleProperties)}): the local cloud has no storage classes, object tags or size filters; apply a template without it locally");

    private static string Text(string source, string path, JsonNode? node) =>
        JsonText.Of(node) ?? throw KeylessException.AtJson(source, path, Describe(node), "a string");

    // CloudFormation takes numbers and booleans written as JSON values or as strings ("30", "true").
    private static int? Number(string source, string path, JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n > 0 => n,
        JsonValue v when JsonText.Of(v) is { } s && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        _ => throw KeylessException.AtJson(source, path, Describe(node), "a whole number greater than 0"),
    };

    private static bool Flag(string source, string path, JsonNode? node) => node switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when JsonText.Of(v) is "true" or "false" => JsonText.Of(v) == "true",
        _ => throw KeylessException.AtJson(source, path, Describe(node), "true or false"),
    };

    private static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "an object (an intrinsic function cannot be resolved here; synthesize the template with concrete values)",
        JsonArray => "a list",
        JsonValue v when JsonText.Of(v) is { } s => $"the string \"{s}\"",
        _ => node.ToJsonString(),
    };
}
