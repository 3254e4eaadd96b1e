using Keyless.Core.Findings;

namespace Keyless.Cli.Rendering;

/// <summary>
/// GitLab's Code Quality report (a Code Climate issue list), so findings appear in merge requests: errors are
/// critical, warnings major. Source: https://docs.gitlab.com/ci/testing/code_quality/ (report format).
/// </summary>
public static class CodeQualityReport
{
    public static object From(IEnumerable<ReportFinding> findings) =>
        findings.Select(f => new
        {
            description = f.Message,
            check_name = $"{f.RuleId} {f.RuleName}",
            fingerprint = f.Fingerprint,
            severity = f.Severity switch
            {
                Severity.Error => "critical",
                Severity.Warning => "major",
                _ => "info",
            },
            location = new { path = f.Path, lines = new { begin = f.Line ?? 1 } },
        }).ToList();
}
