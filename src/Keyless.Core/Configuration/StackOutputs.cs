using System.Text.Json;

namespace Keyless.Core.Configuration;

/// <summary>
/// The stack's outputs per environment — role ARN, bucket, distribution, URL — named in one place for the
/// CDK app that writes them and the deployer that reads them (from <c>cdk deploy --outputs-file</c>'s file,
/// or the local cloud's), so a pipeline needs nothing but the token of its job.
/// </summary>
public sealed record StackOutputs(IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The variable naming the outputs file; else <c>cdk-outputs.json</c> in the current folder when it exists.</summary>
    public const string FileVariable = "KEYLESS_OUTPUTS";

    public const string DefaultFile = "cdk-outputs.json";

    /// <summary>An environment name as it starts output names: <c>staging</c> → <c>Staging</c>, <c>pre-prod</c> → <c>PreProd</c>.</summary>
    public static string Prefix(string environment) =>
        string.Concat(environment.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    public static string RoleArnKey(string environment) => Prefix(environment) + "RoleArn";

    public static string BucketNameKey(string environment) => Prefix(environment) + "BucketName";

    public static string DistributionIdKey(string environment) => Prefix(environment) + "DistributionId";

    public static string UrlKey(string environment) => Prefix(environment) + "Url";

    public string? RoleArn(string environment) => Values.GetValueOrDefault(RoleArnKey(environment));

    public string? Bucket(string environment) => Values.GetValueOrDefault(BucketNameKey(environment));

    public string? Distribution(string environment) => Values.GetValueOrDefault(DistributionIdKey(environment)) is { Length: > 0 } id ? id : null;

    public string? Url(string environment) => Values.GetValueOrDefault(UrlKey(environment));

    /// <summary>
    /// Reads an outputs file, the outputs of every stack in it merged: the file <c>cdk deploy --outputs-file</c> writes
    /// (stack name → output name → value), or what <c>aws cloudformation describe-stacks</c> prints
    /// (<c>Stacks[].Outputs[]</c> of <c>OutputKey</c> and <c>OutputValue</c>).
    /// </summary>
    public static StackOutputs Parse(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw KeylessException.AtJson(source, "$", JsonText.Describe(root), Expected);
            }

            return new StackOutputs(root.TryGetProperty("Stacks", out var stacks) ? FromDescribeStacks(source, stacks) : FromCdkOutputs(root));
        }
        catch (JsonException e)
        {
            throw KeylessException.Input($"{source}: not valid JSON (line {e.LineNumber + 1}); expected {Expected}.");
        }
    }

    private const string Expected = "the stack outputs `cdk deploy --outputs-file` writes, or what `aws cloudformation describe-stacks` prints";

    private static Dictionary<string, string> FromCdkOutputs(JsonElement root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in root.EnumerateObject().Where(s => s.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var output in stack.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.String))
            {
                values[output.Name] = output.Value.GetString()!;
            }
        }

        return values;
    }

    private static Dictionary<string, string> FromDescribeStacks(string source, JsonElement stacks)
    {
        if (stacks.ValueKind != JsonValueKind.Array)
        {
            throw KeylessException.AtJson(source, "$.Stacks", JsonText.Describe(stacks), "an array of stacks, as `aws cloudformation describe-stacks` prints it");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stack in stacks.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object))
        {
            if (!stack.TryGetProperty("Outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var output in outputs.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.Object))
            {
                if (output.TryGetProperty("OutputKey", out var key) && key.ValueKind == JsonValueKind.String
                    && output.TryGetProperty("OutputValue", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    values[key.GetString()!] = value.GetString()!;
                }
            }
        }

        return values;
    }
}
