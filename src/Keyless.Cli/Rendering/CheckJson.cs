using Keyless.Cli.Infrastructure;
using Keyless.Core.Findings;
using Keyless.Trust.Analysis;

namespace Keyless.Cli.Rendering;

/// <summary>The JSON shape of <c>keyless trust check --format json</c> (a stable contract).</summary>
public static class CheckJson
{
    public static object From(IReadOnlyList<RoleAnalysis> analyses, CheckInputs inputs) => new
    {
        roles = analyses.Select(a => new
        {
            role = a.Role.Name,
            roleName = a.Role.RoleName,
            source = a.Role.Source,
            maxSessionDuration = a.Role.MaxSessionDuration,
            parameters = a.Role.Parameters.Select(p => new { name = p.Name, value = p.Value, from = p.Given ? "--parameter" : "default" }),
            providers = a.Providers.Select(p => new { url = p.Url, clientIds = p.ClientIds, clientIdsKnown = p.ClientIds is not null }),
            admitted = a.Admitted.Select(g => new
            {
                provider = g.Provider,
                audiences = Values(g.Audiences),
                projects = Values(g.Projects),
                refType = g.RefType,
                refs = Values(g.Refs),
                otherClaims = g.OtherClaims.ToDictionary(o => o.Key, o => Values(o.Value), StringComparer.Ordinal),
                example = g.Example,
            }),
            findings = a.Findings.Select(f => new
            {
                rule = f.Rule.Id,
                name = f.Rule.Name,
                severity = f.Severity.ToString().ToLowerInvariant(),
                message = f.Message,
                fix = f.Fix,
                path = f.Path,
                witness = f.Witness,
            }),
        }),
        skipped = inputs.Skipped.Select(s => new { file = s.File, reason = s.Reason }),
        unusable = inputs.Unusable.Select(s => new { file = s.File, reason = s.Reason }),
        summary = new
        {
            roles = analyses.Count,
            errors = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Error)),
            warnings = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Warning)),
            infos = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Info)),
            unusableFiles = inputs.Unusable.Count,
        },
    };

    /// <summary>
    /// A set of claim values as data: <c>{"kind": "any"}</c>, <c>{"kind": "exact", "values": […]}</c>,
    /// <c>{"kind": "pattern", "patterns": ["release/*"], "values": [exact values besides]}</c>, or
    /// <c>{"kind": "other", "finite": …, "examples": […]}</c> for a set no pattern of the policy denotes.
    /// </summary>
    private static object Values(ValueSet set) => set.Kind switch
    {
        ValueSetKind.Any => new { kind = "any" },
        ValueSetKind.Exact => new { kind = "exact", values = set.Values },
        ValueSetKind.Pattern => new { kind = "pattern", patterns = set.Patterns, values = set.Values },
        _ => (object)new { kind = "other", finite = set.Finite, examples = set.Values },
    };
}
