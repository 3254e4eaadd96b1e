using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Identity;
using Keyless.Trust.Evaluation;

namespace Keyless.Local.Issuer;

/// <summary>
/// Mints ID tokens shaped like GitLab CI's: the full claim set, the default sub
/// (<c>project_path:GROUP/PROJECT:ref_type:TYPE:ref:REF</c>), ids as JSON strings except runner_id,
/// <c>nbf = iat − 5</c>, RS256 with the issuer key's <c>kid</c> and <c>typ: JWT</c>.
/// Source: https://docs.gitlab.com/ci/secrets/id_token_authentication/ (token payload).
/// </summary>
public sealed partial class LocalTokenMinter
{
    /// <summary>GitLab's pipeline sources (CI_PIPELINE_SOURCE).</summary>
    public static readonly IReadOnlySet<string> PipelineSources = new HashSet<string>(StringComparer.Ordinal)
    {
        "api", "chat", "external", "external_pull_request_event", "merge_request_event", "ondemand_dast_scan",
        "ondemand_dast_validation", "parent_pipeline", "pipeline", "push", "schedule", "security_orchestration_policy",
        "trigger", "web", "webide", "container_registry_push", "duo_workflow", "pipeline_execution_policy_schedule",
    };

    public static readonly IReadOnlySet<string> AccessLevels = new HashSet<string>(StringComparer.Ordinal)
    {
        "guest", "planner", "reporter", "developer", "maintainer", "owner",
    };

    private static readonly string[] Visibilities = ["private", "internal", "public"];

    private readonly IssuerKey _key;
    private readonly TimeProvider _time;

    public LocalTokenMinter(IssuerKey key, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The signed token. Throws <see cref="KeylessException"/> (input) for a bad project path, ref or option.</summary>
    public string Mint(MintRequest request)
    {
        var payload = Payload(request);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["kid"] = _key.KeyId, ["typ"] = "JWT", ["alg"] = "RS256" });
        var signingInput = $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload)}";
        var signature = _key.SignRs256(Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>The token's payload as UTF-8 JSON, claims in the order GitLab's documentation shows them.</summary>
    public byte[] Payload(MintRequest request)
    {
        Validate(request);
        var iat = _time.GetUtcNow().ToUnixTimeSeconds();
        var project = request.ProjectPath;
        var ns = GitLabNames.NamespaceOf(project);
        var refType = request.RefType == RefType.Branch ? "branch" : "tag";
        var refPath = (request.RefType == RefType.Branch ? "refs/heads/" : "refs/tags/") + request.Ref;
        var projectId = request.ProjectId ?? DerivedId("project", project, 10_000_000, 90_000_000);
        var namespaceId = request.NamespaceId ?? DerivedId("namespace", ns, 1_000_000, 9_000_000);
        var pipelineSeed = $"{project}\n{refPath}\n{iat}";
        var sha = request.Sha ?? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"keyless-local:sha:{project}\n{refPath}"))[..20]);
        var host = OidcHost(request.Issuer);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("namespace_id", namespaceId);
            json.WriteString("namespace_path", ns);
            json.WriteString("project_id", projectId);
            json.WriteString("project_path", project);
            json.WriteString("user_id", request.UserId ?? DerivedId("user", request.UserLogin, 100_000, 900_000));
            json.WriteString("user_login", request.UserLogin);
            json.WriteString("user_email", request.UserEmail ?? $"{request.UserLogin}@users.noreply.{HostName(request.Issuer)}");
            json.WriteString("user_access_level", request.UserAccessLevel);
            json.WriteString("pipeline_id", request.PipelineId ?? DerivedId("pipeline", pipelineSeed, 1_000_000_000, 1_000_000_000));
            json.WriteString("pipeline_source", request.PipelineSource);
            json.WriteString("job_id", request.JobId ?? DerivedId("job", pipelineSeed, 5_000_000_000, 1_000_000_000));
            json.WriteString("ref", request.Ref);
            json.WriteString("ref_type", refType);
            json.WriteString("ref_path", refPath);
            json.WriteString("ref_protected", Bool(request.RefProtected));
            if (request.Environment is { } environment)
            {
                json.WriteString("environment", environment);
                json.WriteString("environment_protected", Bool(request.EnvironmentProtected));
                json.WriteString("deployment_tier", request.DeploymentTier ?? GuessTier(environment));
                json.WriteString("environment_action", request.EnvironmentAction);
            }

            json.WriteNumber("runner_id", request.RunnerId ?? long.Parse(DerivedId("runner", project, 1_000, 99_000), CultureInfo.InvariantCulture));
            json.WriteString("runner_environment", request.RunnerEnvironment);
            json.WriteString("sha", sha);
            json.WriteString("project_visibility", request.ProjectVisibility);
            json.WriteString("ci_config_ref_uri", $"{host}/{project}//.gitlab-ci.yml@{refPath}");
            json.WriteString("ci_config_sha", sha);
            json.WriteString("job_project_id", projectId);
            json.WriteString("job_project_path", project);
            json.WriteString("job_namespace_id", namespaceId);
            json.WriteString("job_namespace_path", ns);
            json.WriteString("jti", request.Jti ?? Guid.NewGuid().ToString());
            json.WriteString("iss", request.Issuer);
            json.WriteNumber("iat", iat);
            json.WriteNumber("nbf", iat - 5);
            json.WriteNumber("exp", iat + (long)request.Lifetime.TotalSeconds);
            json.WriteString("sub", GitLabSubject.Compose(project, refType, request.Ref));
            json.WriteString("aud", request.Audience);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>GitLab's guess of an environment's tier from its name (Environment#guess_tier).</summary>
    public static string GuessTier(string environment) =>
        DevelopmentTier().IsMatch(environment) ? "development"
        : TestingTier().IsMatch(environment) ? "testing"
        : StagingTier().IsMatch(environment) ? "staging"
        : ProductionTier().IsMatch(environment) ? "production"
        : "other";

    /// <summary>Refuses a request GitLab would never issue a token for, naming the option; <see cref="Mint"/> does this first.</summary>
    public static void Validate(MintRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpUrl.Is(request.Issuer))
        {
            throw KeylessException.Input($"--issuer {request.Issuer}: not an absolute http(s) URL; expected the issuer URL, e.g. http://127.0.0.1:PORT.");
        }

        if (GitLabNames.ProjectPathProblem(request.ProjectPath) is { } projectProblem)
        {
            throw KeylessException.Input($"--project: {projectProblem}.");
        }

        // GitLab's ref claim holds the short name; ref_path is the full one. A full name would become
        // refs/heads/refs/heads/main, which no GitLab job has.
        if (request.Ref.StartsWith("refs/", StringComparison.Ordinal))
        {
            var shortName = request.Ref.StartsWith("refs/heads/", StringComparison.Ordinal) || request.Ref.StartsWith("refs/tags/", StringComparison.Ordinal)
                ? request.Ref[(request.Ref.IndexOf('/', 5) + 1)..]
                : "NAME";
            throw KeylessException.Input($"--ref {request.Ref}: give the branch or tag name as GitLab's ref claim holds it, without refs/heads/ or refs/tags/ (e.g. --ref {shortName}); the token's ref_path gets the prefix from --ref-type.");
        }

        if (GitLabNames.RefProblem(request.Ref) is { } refProblem)
        {
            throw KeylessException.Input($"--ref: {refProblem}.");
        }

        if (string.IsNullOrWhiteSpace(request.Audience))
        {
            throw KeylessException.Input("--aud is empty: give the audience the job's id_tokens entry sets, e.g. sts.amazonaws.com.");
        }

        if (request.Lifetime <= TimeSpan.Zero)
        {
            throw KeylessException.Input($"--ttl {request.Lifetime.TotalSeconds}: the token's lifetime must be at least one second.");
        }

        if (!PipelineSources.Contains(request.PipelineSource))
        {
            throw KeylessException.Input($"--pipeline-source {request.PipelineSource}: not a GitLab pipeline source; expected one of {string.Join(", ", PipelineSources.Order(StringComparer.Ordinal))}.");
        }

        if (request.Environment is { } environment && !EnvironmentName().IsMatch(environment))
        {
            throw KeylessException.Input($"--environment \"{environment}\": GitLab environment names use letters, digits, spaces and - _ / $ {{ }} . (1-255 characters).");
        }

        Require(request.UserAccessLevel, AccessLevels, "user access level");
        Require(request.ProjectVisibility, Visibilities, "project visibility");
        Require(request.RunnerEnvironment, WebIdentityKeys.RunnerEnvironments, "runner environment");
    }

    private static void Require(string value, IEnumerable<string> allowed, string what)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            throw KeylessException.Input($"{what} \"{value}\" is not one GitLab uses; expected one of {string.Join(", ", allowed)}.");
        }
    }

    /// <summary>A stable decimal id in [min, min + range) for a name: the same project always gets the same id.</summary>
    private static string DerivedId(string kind, string value, long min, long range)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"keyless-local:{kind}:{value}"));
        var number = min + (long)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)range);
        return number.ToString(CultureInfo.InvariantCulture);
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>The issuer without scheme or trailing slash, as GitLab writes its host in ci_config_ref_uri.</summary>
    private static string OidcHost(string issuer) => ProviderUrl.StripScheme(issuer).TrimEnd('/');

    private static string HostName(string issuer) => new Uri(issuer).Host;

    [GeneratedRegex("(dev|review|trunk)", RegexOptions.IgnoreCase)]
    private static partial Regex DevelopmentTier();

    [GeneratedRegex("(test|tst|int|ac(ce|)pt|qa|qc|control|quality)", RegexOptions.IgnoreCase)]
    private static partial Regex TestingTier();

    [GeneratedRegex("(st(a|)g|mod(e|)l|pre|demo|non)", RegexOptions.IgnoreCase)]
    private static partial Regex StagingTier();

    [GeneratedRegex("(pr(o|)d|live)", RegexOptions.IgnoreCase)]
    private static partial Regex ProductionTier();

    [GeneratedRegex(@"^[a-zA-Z0-9 _/${}.\-]{1,255}$")]
    private static partial Regex EnvironmentName();
}
