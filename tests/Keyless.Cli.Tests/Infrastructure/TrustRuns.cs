using System.Text.Json.Nodes;

namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>One finding of <c>trust check --format json</c>, with the role and file it belongs to.</summary>
internal sealed record CheckedFinding(string Role, string Source, string Rule, string Severity, string Message, JsonObject? Witness);

/// <summary>Runs the two trust commands the way the tests need them.</summary>
internal static class TrustRuns
{
    public const string GitLab = "https://gitlab.com";

    /// <summary>The rules whose findings say "the role admits too much"; each must come with a witness.</summary>
    public static readonly IReadOnlySet<string> AdmitsTooMuchRules = new HashSet<string>(StringComparer.Ordinal)
    {
        "KL001", "KL002", "KL003", "KL004", "KL005", "KL006", "KL011", "KL012", "KL020",
    };

    public static Task<CliResult> SimulateAsync(string policy, string claims, params string[] options) =>
        KeylessCli.RunAsync(["trust", "simulate", "--policy", policy, "--claims", claims, .. options]);

    /// <summary>Simulates the example claims against gitlab.com's provider at the claims' issue time.</summary>
    public static Task<CliResult> SimulateOnGitLabAsync(string policy, string claims, params string[] options) =>
        SimulateAsync(policy, claims, ["--provider-url", GitLab, "--client-id", GitLab, "--now", Repo.Now, .. options]);

    /// <summary>Runs <c>trust check --format json</c> at the examples' time and parses the report.</summary>
    public static async Task<(CliResult Result, JsonObject Report)> CheckJsonAsync(params string[] arguments)
    {
        var result = await KeylessCli.RunAsync(["trust", "check", .. arguments, "--now", Repo.Now, "--format", "json"]);
        var report = JsonNode.Parse(result.Output) as JsonObject;
        Assert.True(report is not null, $"Expected a JSON object on stdout, got {result}");
        return (result, report);
    }

    public static IReadOnlyList<JsonObject> Roles(JsonObject report) =>
        [.. report["roles"]!.AsArray().Select(role => role!.AsObject())];

    public static IReadOnlyList<CheckedFinding> Findings(JsonObject report) =>
        [.. Roles(report).SelectMany(role => role["findings"]!.AsArray().Select(finding => new CheckedFinding(
            (string)role["role"]!,
            (string)role["source"]!,
            (string)finding!["rule"]!,
            (string)finding["severity"]!,
            (string)finding["message"]!,
            finding["witness"] as JsonObject)))];

    /// <summary>
    /// Replays a witness through <c>trust simulate</c>: the witness written as a claims file, the provider its
    /// issuer, the client-ID list its audience.
    /// </summary>
    public static Task<CliResult> ReplayWitnessAsync(TempFolder temp, string policy, JsonObject witness, params string[] options)
    {
        var claims = temp.Write($"witness-{Guid.NewGuid():N}.json", witness.ToJsonString());
        var audiences = witness["aud"] is JsonArray list ? list.Select(a => (string)a!) : [(string)witness["aud"]!];
        return SimulateAsync(policy, claims, ["--provider-url", (string)witness["iss"]!, .. audiences.SelectMany(a => new[] { "--client-id", a }), "--now", Repo.Now, .. options]);
    }
}
