using Keyless.Trust.Analysis;

namespace Keyless.Cli.Rendering;

/// <summary>The JSON shape of <c>keyless trust check --format json</c> (a stable contract).</summary>
public static class CheckJson
{
    public static object From(IReadOnlyList<RoleAnalysis> analyses) => new
    {
        roles = analyses.Select(a => new
        {
            role = a.Role.Name,
            source = a.Role.Source,
            maxSessionDuration = a.Role.MaxSessionDuration,
            admitted = a.Admitted.Select(g => new
            {
                provider = g.Provider,
                audiences = g.Audiences,
                projects = g.Projects,
                refType = g.RefType,
                refs = g.Refs,
                otherClaims = g.OtherClaims,
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
        summary = new
        {
            roles = analyses.Count,
            errors = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Error)),
            warnings = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Warning)),
            infos = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Info)),
        },
    };
}
