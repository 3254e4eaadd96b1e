using System.Text.Json.Nodes;
using Keyless.Core;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Policies;

/// <summary>
/// Reads <c>terraform show -json</c> output (state or plan): every <c>aws_iam_role</c> of the root module and
/// its child modules, with <c>aws_iam_openid_connect_provider</c> resources as the providers.
/// Source: https://developer.hashicorp.com/terraform/internals/json-format (values representation).
/// </summary>
internal static class TerraformState
{
    public static TrustDocumentSet Load(string source, JsonObject module, string path)
    {
        var resources = Resources(module, path).ToList();
        var providers = resources
            .Where(r => JsonText.Of(r.Resource["type"]) == "aws_iam_openid_connect_provider" && r.Resource["values"] is JsonObject)
            .Select(r => Provider(source, (JsonObject)r.Resource["values"]!, $"{r.Path}.values"))
            .ToList();
        var roles = new List<RoleTrust>();
        foreach (var (resource, resourcePath) in resources.Where(r => JsonText.Of(r.Resource["type"]) == "aws_iam_role"))
        {
            var values = resource["values"] as JsonObject
                ?? throw KeylessException.AtJson(source, $"{resourcePath}.values", "nothing", "the role's attribute values");
            var role = new JsonObject
            {
                ["RoleName"] = JsonText.Of(resource["address"]) ?? JsonText.Of(values["name"]),
                ["AssumeRolePolicyDocument"] = values["assume_role_policy"]?.DeepClone(),
                ["MaxSessionDuration"] = values["max_session_duration"]?.DeepClone(),
            };
            roles.Add(TrustDocuments.LoadGetRole(source, role, $"{resourcePath}.values") with { RoleName = JsonText.Of(values["name"]) });
        }

        return roles.Count > 0
            ? new TrustDocumentSet(source, roles, providers)
            : throw KeylessException.AtJson(source, path, "no resource of type aws_iam_role", "`terraform show -json` output of a configuration with at least one aws_iam_role");
    }

    private static IEnumerable<(JsonObject Resource, string Path)> Resources(JsonObject module, string path)
    {
        foreach (var (resource, i) in (module["resources"] as JsonArray ?? []).Select((r, i) => (r, i)))
        {
            if (resource is JsonObject found)
            {
                yield return (found, $"{path}.resources[{i}]");
            }
        }

        foreach (var (child, i) in (module["child_modules"] as JsonArray ?? []).Select((c, i) => (c, i)))
        {
            if (child is JsonObject childModule)
            {
                foreach (var nested in Resources(childModule, $"{path}.child_modules[{i}]"))
                {
                    yield return nested;
                }
            }
        }
    }

    // The state keeps the URL as written in the configuration; IAM stores it without the scheme.
    private static OidcProvider Provider(string source, JsonObject values, string path)
    {
        var url = JsonText.Of(values["url"]) ?? throw KeylessException.AtJson(source, $"{path}.url", "no string", "the provider URL");
        var clientIds = (values["client_id_list"] as JsonArray ?? [])
            .Select((c, i) => JsonText.Of(c) ?? throw KeylessException.AtJson(source, $"{path}.client_id_list[{i}]", c?.ToJsonString() ?? "null", "a client ID string"))
            .ToList();
        return new OidcProvider(url.Contains("://", StringComparison.Ordinal) ? url : "https://" + url, clientIds);
    }
}
