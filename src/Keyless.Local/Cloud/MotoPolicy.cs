using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Keyless.Local.Cloud;

/// <summary>
/// A role's permissions policy as moto must be given it to decide like AWS. AWS authorizes a DeleteObjects
/// request key by key, as s3:DeleteObject on each object
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html); the action's only resource is
/// the object (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
/// moto 5.2.1 first checks s3:DeleteObject on the bucket's ARN and refuses every key when that fails, so a
/// role allowed <c>s3:DeleteObject</c> on <c>arn:aws:s3:::B/*</c> could never delete in a batch. For each
/// such grant on a bucket's every object, moto's copy also allows <c>s3:DeleteObject</c> on
/// <c>arn:aws:s3:::B</c>: a resource AWS never matches for this action, and in moto no wider than the grant.
/// Grants on part of a bucket, or with a condition, are left alone (the addition would widen them to the whole
/// bucket in moto), and so is a policy that denies s3:DeleteObject anywhere (moto would not apply the denial
/// to the keys of a batch): there moto stays stricter than AWS, never more lenient.
/// </summary>
public static class MotoPolicy
{
    private const string DeleteObject = "s3:DeleteObject";
    private const string EveryObject = "/*";

    public static string For(string policy)
    {
        var document = JsonNode.Parse(policy)!.AsObject();
        var statements = Many(document["Statement"]).OfType<JsonObject>().ToList();
        if (statements.Any(s => (string?)s["Effect"] != "Allow" && (s["NotAction"] is not null || Many(s["Action"]).Any(a => Covers((string?)a)))))
        {
            return policy;
        }

        var buckets = statements
            .Where(s => (string?)s["Effect"] == "Allow" && s["Condition"] is null && Many(s["Action"]).Any(a => string.Equals((string?)a, DeleteObject, StringComparison.OrdinalIgnoreCase)))
            .SelectMany(s => Many(s["Resource"]))
            .Select(r => (string?)r)
            .Where(r => r is not null && r.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) && r.EndsWith(EveryObject, StringComparison.Ordinal)
                && r.IndexOf('/', StringComparison.Ordinal) == r.Length - EveryObject.Length && !r[..^EveryObject.Length].Contains('*', StringComparison.Ordinal))
            .Select(r => r![..^EveryObject.Length])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (buckets.Count == 0)
        {
            return policy;
        }

        var resources = new JsonArray([.. buckets.Select(b => (JsonNode)JsonValue.Create(b))]);
        var added = new JsonObject { ["Sid"] = "MotoBatchDelete", ["Effect"] = "Allow", ["Action"] = DeleteObject, ["Resource"] = resources };
        document["Statement"] = new JsonArray([.. statements.Select(s => s.DeepClone()), added]);
        return document.ToJsonString();
    }

    /// <summary>Whether an action pattern (<c>*</c> and <c>?</c> wildcards, any case) names s3:DeleteObject.</summary>
    private static bool Covers(string? pattern) =>
        pattern is not null && Regex.IsMatch(
            DeleteObject,
            "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static List<JsonNode?> Many(JsonNode? node) => node is JsonArray array ? [.. array] : [node];
}
