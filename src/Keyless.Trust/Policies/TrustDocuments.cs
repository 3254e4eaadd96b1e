using System.Text.Json;
using System.Text.Json.Nodes;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Policies;

/// <summary>
/// A role's trust: its name, its trust policy, its maximum session duration and, when the role carries the
/// <c>keyless:environment</c> tag (the CDK app sets it), the environment of the project config it deploys.
/// </summary>
public sealed record RoleTrust(string Name, string Source, PolicyDocument Policy, int MaxSessionDuration, string? Environment = null)
{
    public const string EnvironmentTag = "keyless:environment";
}

/// <summary>What one input file holds: roles with their trust policies and any OIDC providers it declares.</summary>
public sealed record TrustDocumentSet(string Source, IReadOnlyList<RoleTrust> Roles, IReadOnlyList<OidcProvider> Providers);

/// <summary>
/// Reads the three shapes a trust policy comes in: a bare policy document, the output of
/// <c>aws iam get-role</c>, or a CloudFormation/CDK template (every <c>AWS::IAM::Role</c>, and the
/// <c>AWS::IAM::OIDCProvider</c> resources for their client-ID lists).
/// </summary>
public static class TrustDocuments
{
    /// <summary>The account used for template ARNs when none is given; any fixed value keeps ARNs comparable.</summary>
    public const string PlaceholderAccount = "111122223333";

    public const int DefaultMaxSessionDuration = 3600;

    public static TrustDocumentSet Load(string source, string json, string? account = null)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw KeylessException.Input($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(". ")[0]}. Expected a trust policy, the output of `aws iam get-role`, or a CloudFormation template.");
        }

        if (root is not JsonObject obj)
        {
            throw KeylessException.AtJson(source, "$", root is null ? "null" : "a " + root.GetValueKind().ToString().ToLowerInvariant(), "a trust policy, `aws iam get-role` output or a CloudFormation template (a JSON object)");
        }

        if (obj["Resources"] is JsonObject resources)
        {
            return LoadTemplate(source, resources, account ?? PlaceholderAccount);
        }

        if (obj["Role"] is JsonObject role)
        {
            return new TrustDocumentSet(source, [LoadGetRole(source, role)], []);
        }

        if (obj.ContainsKey("Statement"))
        {
            var policy = PolicyParser.Parse(source, ToElement(obj), "$");
            return new TrustDocumentSet(source, [new RoleTrust(Path.GetFileNameWithoutExtension(source), source, policy, DefaultMaxSessionDuration)], []);
        }

        throw KeylessException.AtJson(source, "$", "an object without \"Statement\", \"Role\" or \"Resources\"", "a trust policy (with \"Statement\"), `aws iam get-role` output (with \"Role\") or a CloudFormation template (with \"Resources\")");
    }

    private static RoleTrust LoadGetRole(string source, JsonObject role)
    {
        var name = JsonText.Of(role["RoleName"]) ?? "role";
        var document = role["AssumeRolePolicyDocument"];
        JsonElement element;
        if (document is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            // The IAM API returns the document URL-encoded; the CLI decodes it. Accept both.
            var text = Uri.UnescapeDataString(value.GetValue<string>());
            element = PolicyParserText(source, text, "$.Role.AssumeRolePolicyDocument");
        }
        else if (document is JsonObject)
        {
            element = ToElement(document);
        }
        else
        {
            throw KeylessException.AtJson(source, "$.Role.AssumeRolePolicyDocument", document is null ? "nothing" : "a " + document.GetValueKind(), "the role's trust policy");
        }

        var policy = PolicyParser.Parse(source, element, "$.Role.AssumeRolePolicyDocument");
        return new RoleTrust(name, source, policy, ReadDuration(source, role["MaxSessionDuration"], "$.Role.MaxSessionDuration"), EnvironmentTag(role["Tags"]));
    }

    private static TrustDocumentSet LoadTemplate(string source, JsonObject resources, string account)
    {
        var providers = new Dictionary<string, OidcProvider>(StringComparer.Ordinal);
        foreach (var (logicalId, node) in resources)
        {
            if (node is JsonObject resource && JsonText.Of(resource["Type"]) == "AWS::IAM::OIDCProvider")
            {
                var properties = resource["Properties"] as JsonObject;
                var url = JsonText.Of(properties?["Url"])
                    ?? throw KeylessException.AtJson(source, $"$.Resources.{logicalId}.Properties.Url", "no plain string URL", "the provider URL as a string, e.g. \"https://gitlab.com\"");
                var clientIds = (properties!["ClientIdList"] as JsonArray)?
                    .Select((c, i) => JsonText.Of(c) ?? throw KeylessException.AtJson(source, $"$.Resources.{logicalId}.Properties.ClientIdList[{i}]", c?.ToJsonString() ?? "null", "a client ID string"))
                    .ToList() ?? [];
                providers[logicalId] = new OidcProvider(url, clientIds);
            }
        }

        var resolver = new IntrinsicResolver(source, account, providers);
        var roles = new List<RoleTrust>();
        foreach (var (logicalId, node) in resources)
        {
            if (node is not JsonObject resource || JsonText.Of(resource["Type"]) != "AWS::IAM::Role")
            {
                continue;
            }

            var path = $"$.Resources.{logicalId}.Properties";
            var properties = resource["Properties"] as JsonObject
                ?? throw KeylessException.AtJson(source, path, "no Properties", "the role's properties with an AssumeRolePolicyDocument");
            var document = properties["AssumeRolePolicyDocument"]
                ?? throw KeylessException.AtJson(source, $"{path}.AssumeRolePolicyDocument", "nothing", "the role's trust policy");
            var resolved = resolver.Resolve(document, $"{path}.AssumeRolePolicyDocument");
            var policy = PolicyParser.Parse(source, ToElement(resolved), $"{path}.AssumeRolePolicyDocument");
            roles.Add(new RoleTrust(logicalId, source, policy, ReadDuration(source, properties["MaxSessionDuration"], $"{path}.MaxSessionDuration"), EnvironmentTag(properties["Tags"])));
        }

        if (roles.Count == 0)
        {
            throw KeylessException.AtJson(source, "$.Resources", "no resource of type AWS::IAM::Role", "a template with at least one AWS::IAM::Role");
        }

        return new TrustDocumentSet(source, roles, [.. providers.Values]);
    }

    private static string? EnvironmentTag(JsonNode? tags) =>
        (tags as JsonArray)?.OfType<JsonObject>()
            .Where(tag => JsonText.Of(tag["Key"]) == RoleTrust.EnvironmentTag)
            .Select(tag => JsonText.Of(tag["Value"]))
            .FirstOrDefault();

    private static int ReadDuration(string source, JsonNode? node, string path) => node switch
    {
        null => DefaultMaxSessionDuration,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var seconds) => seconds,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && int.TryParse(v.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var seconds) => seconds,
        _ => throw KeylessException.AtJson(source, path, node.ToJsonString(), "a number of seconds from 3600 to 43200"),
    };

    private static JsonElement PolicyParserText(string source, string text, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw KeylessException.AtJson(source, path, "a string that is not a JSON policy", "the trust policy as JSON (URL-encoded or plain)");
        }
    }

    private static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }
}

public static class TrustDocumentSetExtensions
{
    /// <summary>Picks the role named by logical ID or name; the only role when none is named.</summary>
    public static RoleTrust SelectRole(this TrustDocumentSet set, string? role)
    {
        if (role is null)
        {
            return set.Roles.Count == 1
                ? set.Roles[0]
                : throw KeylessException.Input($"{set.Source} has {set.Roles.Count} roles ({string.Join(", ", set.Roles.Select(r => r.Name))}); pick one with --role.");
        }

        return set.Roles.FirstOrDefault(r => string.Equals(r.Name, role, StringComparison.Ordinal))
            ?? throw KeylessException.Input($"--role {role}: {set.Source} has no such role; it has {string.Join(", ", set.Roles.Select(r => r.Name))}.");
    }

    /// <summary>The account named in the first oidc-provider ARN among the policy's Federated principals.</summary>
    public static string? FederatedAccount(this PolicyDocument policy) =>
        policy.Statements
            .SelectMany(s => s.Principal.Federated)
            .Select(OidcProvider.ParseArn)
            .FirstOrDefault(parsed => parsed is not null)?.Account;
}

/// <summary>Reads a JSON node as a string only when it is one.</summary>
internal static class JsonText
{
    public static string? Of(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
