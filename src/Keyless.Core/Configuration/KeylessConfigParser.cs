using System.Text.Json;
using System.Text.RegularExpressions;

namespace Keyless.Core.Configuration;

/// <summary>
/// Reads and checks <c>keyless.json</c>. Every problem is one message naming the field, the value found,
/// what was expected and how to fix it. Missing environments get the defaults: staging from the default
/// branch, production from protected release tags <c>v*</c>.
/// </summary>
public static partial class KeylessConfigParser
{
    private static readonly HashSet<string> PriceClasses = new(StringComparer.Ordinal) { "PriceClass_100", "PriceClass_200", "PriceClass_All" };

    public static KeylessConfig Parse(string source, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            throw KeylessException.Input($"{source}: not valid JSON at line {line + 1}, column {Column(json, line, e.BytePositionInLine ?? 0)}: {Problem(e)}. Fix the JSON there; // comments and trailing commas are allowed.");
        }

        using (document)
        {
            var reader = new Reader(source);
            var root = reader.Object(document.RootElement, "$", ["$schema", "gitlab", "aws", "site", "environments", "thumbprints"]);
            var gitlab = ReadGitLab(reader, reader.Required(root, "$", "gitlab", "the GitLab project whose pipelines deploy, e.g. \"gitlab\": {\"url\": \"https://gitlab.com\", \"project\": \"acme/website\", \"projectId\": \"61425730\"}"));
            var aws = ReadAws(reader, reader.Required(root, "$", "aws", "the AWS account and Region the site is deployed to, e.g. \"aws\": {\"account\": \"111122223333\", \"region\": \"eu-central-1\"}"));
            var site = root.TryGetProperty("site", out var siteElement) ? ReadSite(reader, siteElement) : new SiteSettings("site", "dist");
            var environments = root.TryGetProperty("environments", out var envElement)
                ? ReadEnvironments(reader, envElement, gitlab)
                : Defaults(gitlab);
            var thumbprints = root.TryGetProperty("thumbprints", out var thumbElement)
                ? reader.Strings(thumbElement, "$.thumbprints", ThumbprintPattern(), "40 hexadecimal characters (the SHA-1 thumbprint of the instance's top intermediate CA), only for a private CA")
                : [];
            return new KeylessConfig(source, gitlab, aws, site, environments, thumbprints);
        }
    }

    private static GitLabSettings ReadGitLab(Reader reader, JsonElement element)
    {
        const string path = "$.gitlab";
        var obj = reader.Object(element, path, ["url", "project", "projectId", "namespaceId", "defaultBranch", "audience"]);
        var url = reader.String(obj, path, "url", required: false) ?? "https://gitlab.com";
        if (!IsGitLabUrl(url))
        {
            throw reader.Error($"{path}.url", $"\"{url}\"", "the https URL of the GitLab instance without port, query or trailing slash, e.g. \"https://gitlab.com\" (it must equal the iss of its ID tokens)");
        }

        var project = reader.String(obj, path, "project", required: true)!;
        if (!ProjectPattern().IsMatch(project))
        {
            throw reader.Error($"{path}.project", $"\"{project}\"", "the project's full path, such as \"group/project\" or \"group/subgroup/project\"");
        }

        var projectId = reader.Digits(obj, path, "projectId");
        var namespaceId = reader.Digits(obj, path, "namespaceId");
        var isGitLabCom = url == "https://gitlab.com";
        if (isGitLabCom && projectId is null)
        {
            throw reader.Error($"{path}.projectId", "nothing", "the project's numeric ID (Settings → General on gitlab.com): roles on gitlab.com pin it so that nobody who re-registers the path after a rename or deletion gets in");
        }

        var defaultBranch = reader.String(obj, path, "defaultBranch", required: false) ?? "main";
        var audience = reader.String(obj, path, "audience", required: false) ?? url;
        if (audience.Length is 0 or > 255)
        {
            throw reader.Error($"{path}.audience", $"\"{audience}\"", "1 to 255 characters: the aud of the job's ID token and the OIDC provider's client ID");
        }

        return new GitLabSettings(url, project, projectId, namespaceId, defaultBranch, audience);
    }

    private static AwsSettings ReadAws(Reader reader, JsonElement element)
    {
        const string path = "$.aws";
        var obj = reader.Object(element, path, ["account", "region"]);
        var account = reader.String(obj, path, "account", required: true)!;
        if (!AwsNames.IsAccount(account))
        {
            throw reader.Error($"{path}.account", $"\"{account}\"", "the 12-digit AWS account ID, as a string");
        }

        var region = reader.String(obj, path, "region", required: true)!;
        if (!AwsNames.IsRegion(region))
        {
            throw reader.Error($"{path}.region", $"\"{region}\"", "an AWS region name such as \"eu-central-1\"");
        }

        return new AwsSettings(account, region);
    }

    private static SiteSettings ReadSite(Reader reader, JsonElement element)
    {
        var obj = reader.Object(element, "$.site", ["source", "output", "cacheControl"]);
        var rules = obj.TryGetProperty("cacheControl", out var rulesElement) ? ReadCacheRules(reader, rulesElement) : null;
        return new SiteSettings(reader.String(obj, "$.site", "source", required: false) ?? "site", reader.String(obj, "$.site", "output", required: false) ?? "dist", rules);
    }

    private static List<CacheControlRule> ReadCacheRules(Reader reader, JsonElement element)
    {
        const string path = "$.site.cacheControl";
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw reader.Error(path, JsonText.Describe(element), "a list of rules such as [{\"files\": \"*.pdf\", \"value\": \"public, max-age=3600\"}] (first match wins)");
        }

        return element.EnumerateArray().Select((item, i) =>
        {
            var itemPath = $"{path}[{i}]";
            var obj = reader.Object(item, itemPath, ["files", "value"]);
            var files = reader.String(obj, itemPath, "files", required: true)!;
            var value = reader.String(obj, itemPath, "value", required: true)!;
            return value.Any(char.IsControl)
                ? throw reader.Error($"{itemPath}.value", "a control character", "a Cache-Control header value on one line, e.g. \"public, max-age=3600\"")
                : new CacheControlRule(files, value);
        }).ToList();
    }

    private static List<EnvironmentSettings> ReadEnvironments(Reader reader, JsonElement element, GitLabSettings gitlab)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.EnumerateObject().Any())
        {
            throw reader.Error("$.environments", JsonText.Describe(element), "an object naming at least one environment, e.g. {\"staging\": {…}, \"production\": {…}}");
        }

        var defaults = Defaults(gitlab).ToDictionary(e => e.Name, StringComparer.Ordinal);
        var environments = new List<EnvironmentSettings>();
        foreach (var property in element.EnumerateObject())
        {
            var path = $"$.environments.{property.Name}";
            if (!IsEnvironmentName(property.Name))
            {
                throw reader.Error(path, $"the name \"{property.Name}\"", "a lower-case environment name of letters, digits and dashes, such as \"staging\"");
            }

            var obj = reader.Object(property.Value, path, ["refs", "protected", "manual", "bucket", "url", "priceClass", "domainNames", "certificateArn", "distribution", "prefix"]);
            var fallback = defaults.GetValueOrDefault(property.Name);
            var refs = obj.TryGetProperty("refs", out var refsElement)
                ? ReadRefs(reader, refsElement, $"{path}.refs")
                : fallback?.Refs ?? throw reader.Error($"{path}.refs", "nothing", "the refs that may deploy here, such as [\"branch:main\"] or [\"tag:v*\"]");
            var bucket = reader.String(obj, path, "bucket", required: false);
            if (bucket is not null && !AwsNames.IsBucketName(bucket))
            {
                throw reader.Error($"{path}.bucket", $"\"{bucket}\"", "an S3 bucket name: 3-63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit (or leave it out for a generated name)");
            }

            var url = reader.String(obj, path, "url", required: false);
            if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttps))
            {
                throw reader.Error($"{path}.url", $"\"{url}\"", "the https URL where the environment is served (leave it out to use the CloudFront domain)");
            }

            var priceClass = reader.String(obj, path, "priceClass", required: false) ?? "PriceClass_100";
            if (!PriceClasses.Contains(priceClass))
            {
                throw reader.Error($"{path}.priceClass", $"\"{priceClass}\"", "PriceClass_100, PriceClass_200 or PriceClass_All");
            }

            var domains = obj.TryGetProperty("domainNames", out var domainsElement)
                ? reader.Strings(domainsElement, $"{path}.domainNames", DomainPattern(), "a DNS name such as \"www.example.com\"")
                : [];
            var certificate = reader.String(obj, path, "certificateArn", required: false);
            if ((domains.Count > 0) != (certificate is not null))
            {
                throw reader.Error($"{path}.{(certificate is null ? "certificateArn" : "domainNames")}", "one without the other", "domainNames and certificateArn together: CloudFront serves a custom domain only with an ACM certificate for it");
            }

            if (certificate is not null && !certificate.StartsWith("arn:aws:acm:us-east-1:", StringComparison.Ordinal))
            {
                throw reader.Error($"{path}.certificateArn", $"\"{certificate}\"", "an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from that region)");
            }

            var distribution = reader.String(obj, path, "distribution", required: false);
            if (distribution is not null && !AwsNames.IsDistributionId(distribution))
            {
                throw reader.Error($"{path}.distribution", $"\"{distribution}\"", "a CloudFront distribution ID: upper-case letters and digits, such as \"E2QWRUHAPOMQZL\"");
            }

            var prefix = reader.String(obj, path, "prefix", required: false);
            if (prefix is not null && !PrefixPattern().IsMatch(prefix))
            {
                throw reader.Error($"{path}.prefix", $"\"{prefix}\"", "a key prefix of folder names separated by /, without a leading slash or a leading dot, such as \"staging\" or \"sites/www\"");
            }

            var isProtected = reader.Bool(obj, path, "protected") ?? fallback?.ProtectedOnly ?? false;
            var manual = reader.Bool(obj, path, "manual") ?? fallback?.Manual ?? false;
            environments.Add(new EnvironmentSettings(property.Name, refs, isProtected, manual, bucket, url, priceClass, domains, certificate, Distribution: distribution, Prefix: prefix?.TrimEnd('/')));
        }

        return environments;
    }

    private static List<ExpectedRef> ReadRefs(Reader reader, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() == 0)
        {
            throw reader.Error(path, JsonText.Describe(element), "a non-empty list such as [\"branch:main\"] or [\"tag:v*\"]");
        }

        return element.EnumerateArray().Select((item, i) =>
        {
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : "";
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var type = colon > 0 ? text[..colon] : "";
            var name = colon > 0 ? text[(colon + 1)..] : "";
            return type is "branch" or "tag" && IsRefName(name)
                ? new ExpectedRef(type, name)
                : throw reader.Error($"{path}[{i}]", item.ValueKind == JsonValueKind.String ? $"\"{text}\"" : JsonText.Describe(item), "\"branch:NAME\" or \"tag:PATTERN\" with a git ref name (* is a wildcard), e.g. \"branch:main\" or \"tag:v*\"");
        }).ToList();
    }

    // System.Text.Json's first sentence, except where it speaks of its own depth: the file ends inside an object or a list.
    private static string Problem(JsonException e) =>
        e.Message.Split(". ")[0] is var first && first.StartsWith("Expected depth to be zero", StringComparison.Ordinal)
            ? "the file ends before every { and [ is closed"
            : first;

    // System.Text.Json counts bytes within the line; an editor counts characters.
    private static int Column(string json, int line, long bytes)
    {
        var text = json.Split('\n').ElementAtOrDefault(line) ?? "";
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        return System.Text.Encoding.UTF8.GetCharCount(utf8, 0, (int)Math.Min(bytes, utf8.Length)) + 1;
    }

    /// <summary>Staging deploys the default branch; production deploys protected release tags v*, manually.</summary>
    public static List<EnvironmentSettings> Defaults(GitLabSettings gitlab) =>
    [
        new("staging", [new ExpectedRef("branch", gitlab.DefaultBranch)], ProtectedOnly: true, Manual: false, null, null, "PriceClass_100", [], null),
        new("production", [new ExpectedRef("tag", "v*")], ProtectedOnly: true, Manual: true, null, null, "PriceClass_100", [], null),
    ];

    /// <summary>Reads JSON values and reports problems with their path.</summary>
    private sealed class Reader(string source)
    {
        public KeylessException Error(string path, string found, string expected) => KeylessException.AtJson(source, path, found, expected);

        public JsonElement Object(JsonElement element, string path, string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, JsonText.Describe(element), "an object");
            }

            foreach (var property in element.EnumerateObject().Where(p => !allowed.Contains(p.Name, StringComparer.Ordinal)))
            {
                throw Error($"{path}.{property.Name}", $"the field \"{property.Name}\"", $"one of {string.Join(", ", allowed.Where(a => a != "$schema"))} (field names are case-sensitive)");
            }

            return element;
        }

        public JsonElement Required(JsonElement obj, string path, string name, string holds) =>
            obj.TryGetProperty(name, out var value) ? value : throw Error($"{path}.{name}", "nothing", $"the \"{name}\" section: {holds} (keyless init writes a complete {KeylessConfig.FileName})");

        public string? String(JsonElement obj, string path, string name, bool required)
        {
            if (!obj.TryGetProperty(name, out var value))
            {
                return required ? throw Error($"{path}.{name}", "nothing", $"the {name}, a string") : null;
            }

            return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                ? text
                : throw Error($"{path}.{name}", JsonText.Describe(value), "a non-empty string");
        }

        public string? Digits(JsonElement obj, string path, string name)
        {
            if (!obj.TryGetProperty(name, out var value))
            {
                return null;
            }

            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            };
            return GitLabId.IsValid(text)
                ? text
                : throw Error($"{path}.{name}", JsonText.Describe(value), $"GitLab's numeric ID, {GitLabId.Expected}, as a string such as \"27182818\"");
        }

        public bool? Bool(JsonElement obj, string path, string name) =>
            !obj.TryGetProperty(name, out var value) ? null
            : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
            : throw Error($"{path}.{name}", JsonText.Describe(value), "true or false");

        public List<string> Strings(JsonElement element, string path, Regex pattern, string expected)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                throw Error(path, JsonText.Describe(element), $"a list, each item {expected}");
            }

            return element.EnumerateArray().Select((item, i) => item.ValueKind == JsonValueKind.String && pattern.IsMatch(item.GetString()!)
                ? item.GetString()!
                : throw Error($"{path}[{i}]", JsonText.Describe(item), expected)).ToList();
        }
    }

    /// <summary>Whether a URL can be gitlab.url: https, without port, query or trailing slash (the issuer of the instance's ID tokens).</summary>
    public static bool IsGitLabUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort && uri.Query.Length == 0 && !url.EndsWith('/');

    /// <summary>Whether a name can follow <c>branch:</c> or <c>tag:</c> in an environment's refs: a git ref name, <c>*</c> a wildcard.</summary>
    public static bool IsRefName(string name) => RefPattern().IsMatch(name);

    /// <summary>Whether a path can be a GitLab project's full path: a group, any subgroups and the project, such as group/project.</summary>
    public static bool IsProjectPath(string path) => ProjectPattern().IsMatch(path);

    [GeneratedRegex(@"^[A-Za-z0-9_.][A-Za-z0-9_.-]*(/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$")]
    private static partial Regex ProjectPattern();

    /// <summary>Whether a name can be an environment of keyless.json: lower-case letters, digits and -, up to 31.</summary>
    public static bool IsEnvironmentName(string name) => EnvironmentNamePattern().IsMatch(name);

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,30}$")]
    private static partial Regex EnvironmentNamePattern();

    [GeneratedRegex(@"^(?!\.)(?!.*\.\.)(?!.*//)(?!/)[^\x00-\x20\x7f~^:?\[\\]+(?<!\.)(?<!/)$")]
    private static partial Regex RefPattern();

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")]
    private static partial Regex DomainPattern();

    /// <summary>Whether a bucket key prefix is folder names separated by <c>/</c>, none starting with a dot (the deploy state lives in <c>.keyless/</c>).</summary>
    public static bool IsValidPrefix(string prefix) => PrefixPattern().IsMatch(prefix);

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*/?$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^[0-9a-fA-F]{40}$")]
    private static partial Regex ThumbprintPattern();
}
