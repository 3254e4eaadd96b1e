using Keyless.Core.Findings;

namespace Keyless.Cli.Rendering;

/// <summary>SARIF 2.1.0, for code-scanning dashboards. Source: https://docs.oasis-open.org/sarif/sarif/v2.1.0/</summary>
public static class SarifReport
{
    public static object From(IEnumerable<Rule> rules, IEnumerable<ReportFinding> findings, string? informationUri) => new Dictionary<string, object>
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
                        informationUri,
                        rules = rules.Select(r => new
                        {
                            id = r.Id,
                            name = r.Name,
                            shortDescription = new { text = r.Description },
                            defaultConfiguration = new { level = Level(r.Severity) },
                        }),
                    },
                },
                results = findings.Select(f => new
                {
                    ruleId = f.RuleId,
                    level = Level(f.Severity),
                    message = new { text = f.Message },
                    locations = new[]
                    {
                        new
                        {
                            physicalLocation = new { artifactLocation = new { uri = f.Path }, region = new { startLine = f.Line ?? 1 } },
                            logicalLocations = f.Resource is { } resource ? new[] { new { fullyQualifiedName = resource, kind = "resource" } } : null,
                        },
                    },
                    partialFingerprints = new Dictionary<string, string> { ["keyless/v1"] = f.Fingerprint },
                    properties = f.Properties,
                }),
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
