using Keyless.Cli.Commands.Site;
using Keyless.Site;
using Spectre.Console;
using Rule = Keyless.Core.Findings.Rule;

namespace Keyless.Cli.Rendering;

/// <summary>The report of <c>keyless site check</c> on the site in <paramref name="label"/>.</summary>
public sealed class SiteCheckReportWriter(SiteCheckReport report, string label) : CheckReportWriter
{
    public override IReadOnlyList<ReportFinding> Findings { get; } = ReportFindings.From(report, label);

    public override void WriteText(IAnsiConsole console) => SiteCheckText.Write(console, report, label);

    public override object Json() => new
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

    public override IReadOnlyList<Rule> Rules => SiteRules.All;

    /// <summary>One test case per page (and per other file with findings, and one for the site as a whole when it has a finding).</summary>
    public override string JUnit()
    {
        var byFile = Findings.ToLookup(f => f.Path);
        var cases = report.Pages.Select(p => SiteFolders.Display(label, p)).Concat(byFile.Select(g => g.Key))
            .Distinct().Order(StringComparer.Ordinal)
            .Select(file => new JUnitCase(file, [.. byFile[file]]))
            .ToList();
        return JUnitReport.Write("keyless site check", $"site check {label}", "keyless.site", cases);
    }
}
