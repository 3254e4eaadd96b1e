using System.Text.Json;
using System.Text.Json.Nodes;
using Keyless.Core;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Policies;

/// <summary>
/// A role's trust: its name, its trust policy, its maximum session duration and, when the role carries the
/// <c>keyless:environment</c> tag (the CDK app sets it), the environment of the project config it deploys.
/// </summary>
public sealed record RoleTrust(string Name, string Source, PolicyDocument Policy, int MaxSessionDuration, string? Environment = null)
{
    public const string EnvironmentTag = "keyless:environment";

    /// <summary>A template role's RoleName property, when it is given (Name is then its logical ID).</summary>
    public string? RoleName { get; init; }

    /// <summary>The template parameters the role's trust policy reads, with the values used.</summary>
    public IReadOnlyList<TemplateParameter> Parameters { get; init; } = [];
}

/// <summary>A template parameter and the value used for it: its Default, or a value given on the command line.</summary>
public sealed record TemplateParameter(string Name, string Value, bool Given);

/// <summary>What one input file holds: roles with their trust policies and any OIDC providers it declares.</summary>
public sealed record TrustDocumentSet(string Source, IReadOnlyList<RoleTrust> Roles, IReadOnlyList<OidcProvider> Providers);

/// <summary>
/// Reads the shapes a trust policy comes in: a bare policy document, the output of <c>aws iam get-role</c>
/// or <c>aws iam list-roles</c>, Terraform's <c>terraform show -json</c> state or plan, or a CloudFormation/CDK template in JSON or YAML (every <c>AWS::IAM::Role</c>,
/// and the <c>AWS::IAM::OIDCProvider</c> and CDK <c>Custom::AWSCDKOpenIdConnectProvider</c> resources for
/// their client-ID lists).
/// </summary>
public static class TrustDocuments
{
    /// <summary>The account used for template ARNs when none is given; any fixed value keeps ARNs comparable.</summary>
    public const string PlaceholderAccount = "111122223333";

    public const int DefaultMaxSessionDuration = 3600;

    /// <summary>The resource types whose properties declare an IAM OIDC provider (CDK's L2 construct is a custom resource).</summary>
    private static readonly HashSet<string> ProviderTypes = new(StringComparer.Ordinal) { "AWS::IAM::OIDCProvider", "Custom::AWSCDKOpenIdConnectProvider" };

    /// <param name="source">The file name, for messages.</param>
    /// <param name="text">The file's text: JSON, or YAML for a CloudFormation template.</param>
    /// <param name="account">The account of ARNs a template builds.</param>
    /// <param name="parameters">Values for template parameters (NAME=VALUE from the command line); the others use their Default.</param>
    public static TrustDocumentSet Load(string source, string text, string? account = null, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var root = LooksLikeJson(source, text) ? ParseJson(source, text) : CloudFormationYaml.Parse(source, text);
        if (root is not JsonObject obj)
        {
            throw KeylessException.AtJson(source, "$", root is null ? "null" : "a " + root.GetValueKind().ToString().ToLowerInvariant(), "a trust policy, `aws iam get-role`/`list-roles` output or a CloudFormation template (an object)");
        }

        if (obj["Resources"] is JsonObject resources)
        {
            return LoadTemplate(source, resources, account ?? PlaceholderAccount, TemplateParameters(obj["Parameters"] as JsonObject, parameters));
        }

        if (obj["Role"] is JsonObject role)
        {
            return new TrustDocumentSet(source, [LoadGetRole(source, role, "$.Role")], []);
        }

        if ((obj["values"] ?? obj["planned_values"])?["root_module"] is JsonObject module)
        {
            return TerraformState.Load(source, module, obj["values"] is null ? "$.planned_values.root_module" : "$.values.root_module");
        }

        if (obj["Roles"] is JsonArray list)
        {
            var listed = list.Select((item, i) => item as JsonObject
                ?? throw KeylessException.AtJson(source, $"$.Roles[{i}]", item?.ToJsonString() ?? "null", "a role object as `aws iam list-roles` prints it")).ToList();
            return listed.Count > 0
                ? new TrustDocumentSet(source, [.. listed.Select((item, i) => LoadGetRole(source, item, $"$.Roles[{i}]"))], [])
                : throw KeylessException.AtJson(source, "$.Roles", "an empty list", "at least one role");
        }

        if (obj.ContainsKey("Statement"))
        {
            var policy = PolicyParser.Parse(source, ToElement(obj), "$");
            return new TrustDocumentSet(source, [new RoleTrust(Path.GetFileNameWithoutExtension(source), source, policy, DefaultMaxSessionDuration)], []);
        }

        throw KeylessException.AtJson(source, "$", "an object without \"Statement\", \"Role\", \"Roles\" or \"Resources\"", "a trust policy (with \"Statement\"), `aws iam get-role` output (with \"Role\"), `aws iam list-roles` output (with \"Roles\"), `terraform show -json` output (with \"values\") or a CloudFormation template (with \"Resources\")");
    }

    private static bool LooksLikeJson(string source, string text) =>
        source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[');

    private static JsonNode? ParseJson(string source, string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw KeylessException.Input($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(". ")[0]}. Expected a trust policy, the output of `aws iam get-role`, or a CloudFormation template.");
        }
    }

    private static Dictionary<string, TemplateParameter> TemplateParameters(JsonObject? declared, IReadOnlyDictionary<string, string>? given)
    {
        var result = new Dictionary<string, TemplateParameter>(StringComparer.Ordinal);
        foreach (var (name, node) in declared ?? [])
        {
            if (given?.TryGetValue(name, out var value) == true)
            {
                result[name] = new TemplateParameter(name, value, Given: true);
            }
            else if (node?["Default"] is JsonValue fallback && fallback.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
            {
                result[name] = new TemplateParameter(name, fallback.GetValueKind() == JsonValueKind.String ? fallback.GetValue<string>() : fallback.ToJsonString(), Given: false);
            }
        }

        return result;
    }

    internal static RoleTrust LoadGetRole(string source, JsonObject role, string rolePath)
    {
        var name = JsonText.Of(role["RoleName"]) ?? "role";
        var document = role["AssumeRolePolicyDocument"];
        JsonElement element;
        if (document is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            // The IAM API returns the document URL-encoded; the CLI decodes it. Accept both.
            var text = Uri.UnescapeDataString(value.GetValue<string>());
            element = PolicyParserText(source, text, $"{rolePath}.AssumeRolePolicyDocument");
        }
        else if (document is JsonObject)
        {
            element = ToElement(document);
        }
        else
        {
            throw KeylessException.AtJson(source, $"{rolePath}.AssumeRolePolicyDocument", document is null ? "nothing" : "a " + document.GetValueKind(), "the role's trust policy");
        }

        var policy = PolicyParser.Parse(source, element, $"{rolePath}.AssumeRolePolicyDocument");
        return new RoleTrust(name, source, policy, ReadDuration(source, role["MaxSessionDuration"], $"{rolePath}.MaxSessionDuration"), EnvironmentTag(role["Tags"]));
    }

    private static TrustDocumentSet LoadTemplate(string source, JsonObject resources, string account, Dictionary<string, TemplateParameter> parameters)
    {
        var providers = new Dictionary<string, OidcProvider>(StringComparer.Ordinal);
        var resolver = new IntrinsicResolver(source, account, providers, parameters: parameters);
        foreach (var (logicalId, node) in resources)
        {
            if (node is JsonObject resource && JsonText.Of(resource["Type"]) is { } type && ProviderTypes.Contains(type))
            {
                var path = $"$.Resources.{logicalId}.Properties";
                var properties = resource["Properties"] as JsonObject;
                var url = properties?["Url"] is { } urlNode ? JsonText.Of(resolver.Resolve(urlNode, $"{path}.Url")) : null;
                if (url is null)
                {
                    throw KeylessException.AtJson(source, $"{path}.Url", "no string URL", "the provider URL as a string, e.g. \"https://gitlab.com\"");
                }

                // AWS::IAM::OIDCProvider spells it ClientIdList, CDK's custom resource ClientIDList.
                var list = properties!["ClientIdList"] ?? properties["ClientIDList"];
                list = list is null ? null : resolver.Resolve(list, $"{path}.ClientIdList");
                var clientIds = (list as JsonArray)?
                    .Select((c, i) => JsonText.Of(c) ?? throw KeylessException.AtJson(source, $"{path}.ClientIdList[{i}]", c?.ToJsonString() ?? "null", "a client ID string"))
                    .ToList() ?? [];
                providers[logicalId] = new OidcProvider(url, clientIds);
            }
        }

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
            resolver.ForgetUsedParameters();
            var resolved = resolver.Resolve(document, $"{path}.AssumeRolePolicyDocument");
            var policy = PolicyParser.Parse(source, ToElement(resolved), $"{path}.AssumeRolePolicyDocument");
            List<TemplateParameter> used = [.. resolver.UsedParameters];
            roles.Add(new RoleTrust(logicalId, source, policy, ReadDuration(source, properties["MaxSessionDuration"], $"{path}.MaxSessionDuration"), EnvironmentTag(properties["Tags"]))
            {
                RoleName = RoleNameOf(resolver, properties["RoleName"], $"{path}.RoleName"),
                Parameters = used,
            });
        }

        if (roles.Count == 0)
        {
            throw KeylessException.AtJson(source, "$.Resources", "no resource of type AWS::IAM::Role", "a template with at least one AWS::IAM::Role");
        }

        return new TrustDocumentSet(source, roles, [.. providers.Values]);
    }

    // The name is shown, not checked: one built from values unknown offline (e.g. AWS::StackName) is left out.
    private static string? RoleNameOf(IntrinsicResolver resolver, JsonNode? node, string path)
    {
        try
        {
            return node is null ? null : JsonText.Of(resolver.Resolve(node, path));
        }
        catch (KeylessException)
        {
            return null;
        }
    }

    private static string? EnvironmentTag(JsonNode? tags) =>
        (tags as JsonArray)?.OfType<JsonObject>()
            .Where(tag => JsonText.Of(tag["Key"]) == RoleTrust.EnvironmentTag)
            .Select(tag => JsonText.Of(tag["Value"]))
            .FirstOrDefault();

    internal static int ReadDuration(string source, JsonNode? node, string path) => node switch
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
            ?? set.Roles.FirstOrDefault(r => string.Equals(r.RoleName, role, StringComparison.Ordinal))
            ?? throw KeylessException.Input($"--role {role}: {set.Source} has no such role; it has {string.Join(", ", set.Roles.Select(r => r.Name))}.");
    }

    /// <summary>The account named in the first oidc-provider ARN among the policy's Federated principals.</summary>
    public static string? FederatedAccount(this PolicyDocument policy) =>
        policy.Statements
            .SelectMany(s => s.Principal.Federated)
            .Select(OidcProvider.ParseArn)
            .FirstOrDefault(parsed => parsed is not null)?.Account;
}
