using System.Globalization;
using Keyless.Cli.Commands.Site;
using Keyless.Site;
using Keyless.Trust.Analysis;

namespace Keyless.Cli.Rendering;

/// <summary>The findings and rules of <c>trust check</c> and <c>site check</c> in the one shape the machine reports take.</summary>
public static class ReportFindings
{
    public static IReadOnlyList<ReportFinding> From(IReadOnlyList<RoleAnalysis> analyses) =>
        analyses.SelectMany(a => a.Findings.Select(f =>
            new ReportFinding(
                f.Rule.Id,
                f.Rule.Name,
                f.Severity,
                $"{a.Role.Name}: {f.Message} Fix: {f.Fix}",
                a.Role.Source,
                Line: null,
                ReportFinding.Hash(a.Role.Source, a.Role.Name, f.Rule.Id, f.Message))
            {
                Resource = a.Role.Name,
                Properties = new { witness = f.Witness, jsonPath = f.Path },
            })).ToList();

    /// <summary>
    /// Site findings, their files named as <paramref name="label"/>/file. Fingerprints are stable across line moves;
    /// repeats of the same finding in a file are numbered so that each stays its own issue.
    /// </summary>
    public static IReadOnlyList<ReportFinding> From(SiteCheckReport report, string label)
    {
        ArgumentNullException.ThrowIfNull(report);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return report.Findings.Select(f =>
        {
            var path = SiteFolders.Display(label, f.File);
            var key = $"{path}\n{f.Rule.Id}\n{f.Message}";
            var occurrence = seen[key] = seen.GetValueOrDefault(key) + 1;
            return new ReportFinding(f.Rule.Id, f.Rule.Name, f.Severity, f.Message, path, f.Line, ReportFinding.Hash(key, occurrence.ToString(CultureInfo.InvariantCulture)));
        }).ToList();
    }
}
