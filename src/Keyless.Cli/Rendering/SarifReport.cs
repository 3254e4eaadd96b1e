using Keyless.Trust.Analysis;

namespace Keyless.Cli.Rendering;

/// <summary>SARIF 2.1.0, for code-scanning dashboards. Source: https://docs.oasis-open.org/sarif/sarif/v2.1.0/</summary>
public static class SarifReport
{
    public static object From(IReadOnlyList<RoleAnalysis> analyses) => new Dictionary<string, object>
    {
        ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
        ["version"] = "2.1.0",
        ["runs"] = new[]
        {
            new
            {
                tool = new
                {
                    driver = new
                    {
                        name = "keyless",
                        informationUri = "https://docs.gitlab.com/ci/cloud_services/aws/",
                        rules = Rules.All.Select(r => new
                        {
                            id = r.Id,
                            name = r.Name,
                            shortDescription = new { text = r.Title },
                            defaultConfiguration = new { level = Level(r.Severity) },
                        }),
                    },
                },
                results = analyses.SelectMany(a => a.Findings.Select(f => new
                {
                    ruleId = f.Rule.Id,
                    level = Level(f.Severity),
                    message = new { text = $"{a.Role.Name}: {f.Message} Fix: {f.Fix}" },
                    locations = new[]
                    {
                        new
                        {
                            physicalLocation = new { artifactLocation = new { uri = a.Role.Source }, region = new { startLine = 1 } },
                            logicalLocations = new[] { new { fullyQualifiedName = a.Role.Name, kind = "resource" } },
                        },
                    },
                    partialFingerprints = new Dictionary<string, string> { ["keyless/v1"] = CodeQualityReport.Fingerprint(a, f) },
                    properties = new { witness = f.Witness, jsonPath = f.Path },
                })),
            },
        },
    };

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };
}
