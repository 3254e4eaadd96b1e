using Keyless.Cli.Commands.Site;
using Keyless.Site;

namespace Keyless.Cli.Rendering;

/// <summary>The machine reports of <c>keyless site check</c>: its JSON, and the shared JUnit XML and GitLab Code Quality writers.</summary>
public static class SiteCheckReports
{
    public static object Json(SiteCheckReport report, string label)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            site = label,
            pages = report.Pages,
            findings = report.Findings.Select(f => new
            {
                rule = f.Rule.Id,
                name = f.Rule.Name,
                severity = f.Severity.ToString().ToLowerInvariant(),
                file = SiteFolders.Display(label, f.File),
                line = f.Line,
                message = f.Message,
            }),
            summary = new { pages = report.Pages.Count, files = report.Files.Count, errors = report.Errors, warnings = report.Warnings },
        };
    }

    public static object CodeQuality(SiteCheckReport report, string label) => CodeQualityReport.From(ReportFindings.From(report, label));

    /// <summary>One test case per page (and per other file with findings, and one for the site as a whole when it has a finding).</summary>
    public static string JUnit(SiteCheckReport report, string label)
    {
        ArgumentNullException.ThrowIfNull(report);
        var byFile = ReportFindings.From(report, label).ToLookup(f => f.Path);
        var cases = report.Pages.Select(p => SiteFolders.Display(label, p)).Concat(byFile.Select(g => g.Key))
            .Distinct().Order(StringComparer.Ordinal)
            .Select(file => new JUnitCase(file, [.. byFile[file]]))
            .ToList();
        return JUnitReport.Write("keyless site check", $"site check {label}", "keyless.site", cases);
    }
}
