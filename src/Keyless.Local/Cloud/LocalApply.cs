using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Local.Cloud;

/// <summary>What applying a template changed, resource by resource.</summary>
public sealed record AppliedResource(string LogicalId, string Type, string PhysicalId, string Change);

/// <summary>The outcome of <see cref="LocalApply"/>: the changes, the stack's outputs, and whether the
/// issuer stands in for gitlab.com (the local STS must then expose gitlab.com's provider-specific keys).</summary>
public sealed record LocalApplyResult(string StackName, IReadOnlyList<AppliedResource> Resources, IReadOnlyDictionary<string, string> Outputs, bool GitLabComKeys);

/// <summary>
/// Creates in moto what a synthesized template describes — the OIDC provider (pointing at the local issuer
/// instead of the real instance), the roles with their trust and inline policies, the buckets — through
/// the IAM stand-in client and the S3 SDK, so local runs exercise exactly the policies that go to AWS (as moto
/// must be given them to decide like AWS: <see cref="MotoPolicy"/>).
/// Idempotent: a second run changes nothing; a changed template updates in place. CloudFront resources are
/// not created: the local cloud serves buckets through its own CloudFront stand-in.
/// </summary>
public sealed class LocalApply(IamQueryClient iam, IAmazonS3 s3)
{
    /// <summary>moto's account: the ARNs it returns carry it.</summary>
    public const string MotoAccount = "123456789012";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<LocalApplyResult> ApplyAsync(string source, string templateJson, string issuerUrl, CancellationToken cancellationToken = default)
    {
        var template = ParseTemplate(source, templateJson);
        var resources = template["Resources"] as JsonObject ?? throw KeylessException.AtJson(source, "$.Resources", "nothing", "the template's resources");
        var stackName = Path.GetFileName(source).Replace(".template.json", "", StringComparison.Ordinal);
        var applied = new List<AppliedResource>();
        var physical = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);

        // What each bucket keeps (versions, expiry rules), read before anything is created, so a value that cannot be
        // applied stops the run with nothing changed.
        var buckets = Of(resources, "AWS::S3::Bucket").Select(b => (b.Id, b.Node, Settings: BucketSettings.From(source, b.Id, b.Node["Properties"]))).ToList();

        // 1. The provider, for the local issuer.
        var providers = Of(resources, "AWS::IAM::OIDCProvider").ToList();
        if (providers.Count != 1)
        {
            throw KeylessException.AtJson(source, "$.Resources", $"{providers.Count} AWS::IAM::OIDCProvider resources", "exactly one: the GitLab instance's provider (templates that import an existing provider cannot be applied locally yet)");
        }

        var (providerId, providerNode) = providers[0];
        var originalUrl = JsonText(providerNode["Properties"]?["Url"]) ?? "";
        var clientIds = (providerNode["Properties"]?["ClientIdList"] as JsonArray)?.Select(JsonText).OfType<string>().ToList() ?? [];
        var providerArn = await EnsureProviderAsync(issuerUrl, clientIds, applied, providerId, cancellationToken);
        physical[providerId] = new() { ["Ref"] = providerArn, ["Arn"] = providerArn };

        // 2. Buckets get names first: roles' policies refer to them.
        foreach (var (id, node, settings) in buckets)
        {
            var name = JsonText(node["Properties"]?["BucketName"]) ?? BucketNameFor(stackName, id);
            physical[id] = new() { ["Ref"] = name, ["Arn"] = $"arn:aws:s3:::{name}", ["DomainName"] = $"{name}.s3.amazonaws.com", ["RegionalDomainName"] = $"{name}.s3.amazonaws.com" };
            applied.Add(new(id, "AWS::S3::Bucket", name, await EnsureBucketAsync(name, settings, cancellationToken)));
        }

        foreach (var (id, _) in Of(resources, "AWS::CloudFront::Distribution"))
        {
            // Served by the local CloudFront stand-in; no distribution exists to invalidate.
            physical[id] = new() { ["Ref"] = $"local-{id}", ["DomainName"] = "localhost" };
        }

        // 3. Roles: trust policies moved from the real instance to the local issuer, inline policies as written.
        var originalPrefix = ProviderUrl.StripScheme(originalUrl);
        var localPrefix = ProviderUrl.StripScheme(issuerUrl);
        foreach (var (id, node) in Of(resources, "AWS::IAM::Role"))
        {
            var roleName = JsonText(node["Properties"]?["RoleName"]) ?? (id.Length <= 64 ? id : id[..64]);
            physical[id] = new() { ["Ref"] = roleName, ["Arn"] = $"arn:aws:iam::{MotoAccount}:role/{roleName}" };
        }

        var resolver = new IntrinsicResolver(source, MotoAccount, new Dictionary<string, OidcProvider>(), (id, attribute) =>
            physical.TryGetValue(id, out var values) && values.TryGetValue(attribute, out var value) ? value : null);
        foreach (var (id, node) in Of(resources, "AWS::IAM::Role"))
        {
            var properties = node["Properties"] as JsonObject ?? new JsonObject();
            var trust = MoveToLocalIssuer(resolver.Resolve(properties["AssumeRolePolicyDocument"]!, $"$.Resources.{id}.Properties.AssumeRolePolicyDocument"), originalPrefix, localPrefix);
            var maxSession = properties["MaxSessionDuration"] is JsonValue v && v.TryGetValue<int>(out var seconds) ? seconds : 3600;
            var inline = (properties["Policies"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .ToDictionary(p => JsonText(p["PolicyName"])!, p => resolver.Resolve(p["PolicyDocument"]!, $"$.Resources.{id}.Properties.Policies").ToJsonString(), StringComparer.Ordinal);
            foreach (var (_, policy) in Of(resources, "AWS::IAM::Policy").Where(p => (p.Node["Properties"]?["Roles"] as JsonArray)?.Any(r => r?["Ref"]?.GetValue<string>() == id) == true))
            {
                inline[JsonText(policy["Properties"]!["PolicyName"])!] = resolver.Resolve(policy["Properties"]!["PolicyDocument"]!, $"$.Resources.{id}").ToJsonString();
            }

            applied.Add(new(id, "AWS::IAM::Role", physical[id]["Arn"], await EnsureRoleAsync(physical[id]["Ref"], trust.ToJsonString(), maxSession, inline, cancellationToken)));
        }

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, output) in template["Outputs"] as JsonObject ?? [])
        {
            if (output?["Value"] is { } value && !name.EndsWith("Url", StringComparison.Ordinal) && !name.EndsWith("DistributionId", StringComparison.Ordinal))
            {
                outputs[name] = JsonText(resolver.Resolve(value, $"$.Outputs.{name}.Value")) ?? "";
            }
        }

        return new LocalApplyResult(stackName, applied, outputs, string.Equals(originalUrl, WebIdentityKeys.GitLabComIssuer, StringComparison.Ordinal));
    }

    private static JsonObject ParseTemplate(string source, string templateJson)
    {
        const string Expected = "Expected the template `cdk synth` wrote (cdk.out/*.template.json): a JSON object with Resources.";
        if (string.IsNullOrWhiteSpace(templateJson))
        {
            throw KeylessException.Input($"{source}: empty. {Expected}");
        }

        try
        {
            return JsonNode.Parse(templateJson) as JsonObject ?? throw KeylessException.Input($"{source}: not a CloudFormation template. {Expected}");
        }
        catch (JsonException e)
        {
            throw KeylessException.Input($"{source}: not valid JSON (line {e.LineNumber + 1}; is it truncated?). {Expected}");
        }
    }

    /// <summary>The outputs in the shape of <c>cdk deploy --outputs-file</c>: stack name → output → value.</summary>
    public static string OutputsFile(LocalApplyResult result) =>
        JsonSerializer.Serialize(new Dictionary<string, IReadOnlyDictionary<string, string>> { [result.StackName] = result.Outputs }, Indented);

    private async Task<string> EnsureProviderAsync(string issuerUrl, List<string> clientIds, List<AppliedResource> applied, string logicalId, CancellationToken cancellationToken)
    {
        var arn = $"arn:aws:iam::{MotoAccount}:oidc-provider/{ProviderUrl.StripScheme(issuerUrl)}";
        if (!(await iam.ListOpenIdConnectProviderArnsAsync(cancellationToken)).Contains(arn, StringComparer.Ordinal))
        {
            arn = await iam.CreateOpenIdConnectProviderAsync(issuerUrl, clientIds, [], cancellationToken);
            applied.Add(new(logicalId, "AWS::IAM::OIDCProvider", arn, "created"));
            return arn;
        }

        var current = (await iam.GetOpenIdConnectProviderAsync(arn, cancellationToken))!.ClientIds;
        foreach (var missing in clientIds.Except(current, StringComparer.Ordinal))
        {
            await iam.AddClientIdAsync(arn, missing, cancellationToken);
        }

        foreach (var extra in current.Except(clientIds, StringComparer.Ordinal))
        {
            await iam.RemoveClientIdAsync(arn, extra, cancellationToken);
        }

        applied.Add(new(logicalId, "AWS::IAM::OIDCProvider", arn, current.ToHashSet(StringComparer.Ordinal).SetEquals(clientIds) ? "unchanged" : "updated"));
        return arn;
    }

    private async Task<string> EnsureBucketAsync(string name, BucketSettings settings, CancellationToken cancellationToken)
    {
        var buckets = await s3.ListBucketsAsync(new ListBucketsRequest(), cancellationToken);
        var change = "unchanged";
        if (buckets.Buckets?.Any(b => b.BucketName == name) != true)
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = name }, cancellationToken);
            change = "created";
        }

        var versioning = (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = name }, cancellationToken)).VersioningConfig?.Status;
        // A bucket's versioning cannot be switched off once on: a template that no longer asks for it suspends it.
        var wanted = settings.Versioning ?? (versioning == VersionStatus.Enabled ? VersionStatus.Suspended.Value : null);
        if (wanted is not null && wanted != versioning?.Value)
        {
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = name, VersioningConfig = new S3BucketVersioningConfig { Status = new VersionStatus(wanted) } }, cancellationToken);
            change = change == "created" ? change : "updated";
        }

        var current = await LifecycleAsync(name, cancellationToken);
        if (current.Count != settings.Lifecycle.Count || !settings.Lifecycle.Zip(current).All(p => p.Second is { } rule && p.First.Matches(rule)))
        {
            if (settings.Lifecycle.Count == 0)
            {
                await s3.DeleteLifecycleConfigurationAsync(new DeleteLifecycleConfigurationRequest { BucketName = name }, cancellationToken);
            }
            else
            {
                await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = name, Configuration = new LifecycleConfiguration { Rules = [.. settings.Lifecycle.Select(r => r.ToS3())] } }, cancellationToken);
            }

            change = change == "created" ? change : "updated";
        }

        return change;
    }

    // The SDK answers S3's NoSuchLifecycleConfiguration with an empty configuration.
    private async Task<List<ExpiryRule?>> LifecycleAsync(string bucket, CancellationToken cancellationToken) =>
        [.. ((await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, cancellationToken)).Configuration?.Rules ?? []).Select(ExpiryRule.FromS3)];

    private async Task<string> EnsureRoleAsync(string roleName, string trust, int maxSession, Dictionary<string, string> inline, CancellationToken cancellationToken)
    {
        var change = "unchanged";
        var role = await iam.GetRoleAsync(roleName, cancellationToken);
        if (role is null)
        {
            await iam.CreateRoleAsync(roleName, trust, maxSession, cancellationToken);
            change = "created";
        }
        else
        {
            if (!SameJson(role.TrustPolicy, trust))
            {
                await iam.UpdateTrustPolicyAsync(roleName, trust, cancellationToken);
                change = "updated";
            }

            if (role.MaxSessionDuration != maxSession)
            {
                await iam.UpdateMaxSessionDurationAsync(roleName, maxSession, cancellationToken);
                change = "updated";
            }
        }

        foreach (var stale in (await iam.ListRolePolicyNamesAsync(roleName, cancellationToken)).Except(inline.Keys, StringComparer.Ordinal))
        {
            await iam.DeleteRolePolicyAsync(roleName, stale, cancellationToken);
            change = change == "created" ? change : "updated";
        }

        foreach (var (name, written) in inline)
        {
            var document = MotoPolicy.For(written);
            var current = await iam.GetRolePolicyAsync(roleName, name, cancellationToken);
            if (current is null || !SameJson(current, document))
            {
                await iam.PutRolePolicyAsync(roleName, name, document, cancellationToken);
                change = change == "created" ? change : "updated";
            }
        }

        return change;
    }

    // The trust policy's keys move from the real instance's prefix (gitlab.com:) to the local issuer's.
    private static JsonNode MoveToLocalIssuer(JsonNode policy, string originalPrefix, string localPrefix)
    {
        foreach (var statement in (policy["Statement"] as JsonArray ?? [policy["Statement"]]).OfType<JsonObject>())
        {
            if (statement["Condition"] is not JsonObject condition)
            {
                continue;
            }

            foreach (var (_, keys) in condition)
            {
                if (keys is not JsonObject keyObject)
                {
                    continue;
                }

                foreach (var key in keyObject.Select(k => k.Key).ToList())
                {
                    if (key.StartsWith(originalPrefix + ":", StringComparison.OrdinalIgnoreCase))
                    {
                        var value = keyObject[key]!.DeepClone();
                        keyObject.Remove(key);
                        keyObject[localPrefix + key[originalPrefix.Length..]] = value;
                    }
                }
            }
        }

        return policy;
    }

    private static bool SameJson(string a, string b) => JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));

    private static string BucketNameFor(string stackName, string logicalId)
    {
        var name = new string($"{stackName}-{logicalId}".ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return name.Length <= 63 ? name : name[^63..].TrimStart('-');
    }

    private static IEnumerable<(string Id, JsonNode Node)> Of(JsonObject resources, string type) =>
        resources.Where(r => JsonText(r.Value?["Type"]) == type).Select(r => (r.Key, r.Value!));

    private static string? JsonText(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
