using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Keyless.Core.Configuration;

/// <summary>
/// Writes a <see cref="KeylessConfig"/> as keyless.json, in the shape <see cref="KeylessConfigParser"/> reads back to
/// the same config: every setting spelled out (nothing left to a default a later version might change), except the
/// optional ones that are not set.
/// </summary>
public static class KeylessConfigWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(KeylessConfig config, string? schema = "./keyless.schema.json")
    {
        ArgumentNullException.ThrowIfNull(config);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            if (schema is not null)
            {
                json.WriteString("$schema", schema);
            }

            WriteGitLab(json, config.GitLab);
            json.WriteStartObject("aws");
            json.WriteString("account", config.Aws.Account);
            json.WriteString("region", config.Aws.Region);
            json.WriteEndObject();
            WriteSite(json, config.Site);
            json.WriteStartObject("environments");
            foreach (var environment in config.Environments)
            {
                WriteEnvironment(json, environment);
            }

            json.WriteEndObject();
            if (config.Thumbprints.Count > 0)
            {
                WriteStrings(json, "thumbprints", config.Thumbprints);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteGitLab(Utf8JsonWriter json, GitLabSettings gitlab)
    {
        json.WriteStartObject("gitlab");
        json.WriteString("url", gitlab.Url);
        json.WriteString("project", gitlab.Project);
        WriteIfSet(json, "projectId", gitlab.ProjectId);
        WriteIfSet(json, "namespaceId", gitlab.NamespaceId);
        json.WriteString("defaultBranch", gitlab.DefaultBranch);
        json.WriteString("audience", gitlab.Audience);
        json.WriteEndObject();
    }

    private static void WriteSite(Utf8JsonWriter json, SiteSettings site)
    {
        json.WriteStartObject("site");
        json.WriteString("source", site.Source);
        json.WriteString("output", site.Output);
        if (site.CacheControl is { } rules)
        {
            json.WriteStartArray("cacheControl");
            foreach (var rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("files", rule.Files);
                json.WriteString("value", rule.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteEnvironment(Utf8JsonWriter json, EnvironmentSettings environment)
    {
        json.WriteStartObject(environment.Name);
        WriteStrings(json, "refs", [.. environment.Refs.Select(r => r.ToString())]);
        json.WriteBoolean("protected", environment.ProtectedOnly);
        json.WriteBoolean("manual", environment.Manual);
        WriteIfSet(json, "bucket", environment.Bucket);
        WriteIfSet(json, "url", environment.Url);
        json.WriteString("priceClass", environment.PriceClass);
        if (environment.DomainNames.Count > 0)
        {
            WriteStrings(json, "domainNames", environment.DomainNames);
        }

        WriteIfSet(json, "certificateArn", environment.CertificateArn);
        WriteIfSet(json, "distribution", environment.Distribution);
        WriteIfSet(json, "prefix", environment.Prefix);
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
