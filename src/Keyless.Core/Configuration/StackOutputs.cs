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

    /// <summary>Reads an outputs file: stack name → output name → value; the outputs of every stack, merged.</summary>
    public static StackOutputs Parse(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw KeylessException.AtJson(source, "$", JsonText.Describe(document.RootElement), "an object of stacks, each an object of outputs (the file `cdk deploy --outputs-file` writes)");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var stack in document.RootElement.EnumerateObject().Where(s => s.Value.ValueKind == JsonValueKind.Object))
            {
                foreach (var output in stack.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.String))
                {
                    values[output.Name] = output.Value.GetString()!;
                }
            }

            return new StackOutputs(values);
        }
        catch (JsonException e)
        {
            throw KeylessException.Input($"{source}: not valid JSON (line {e.LineNumber + 1}); expected the stack outputs `cdk deploy --outputs-file` writes.");
        }
    }
}
