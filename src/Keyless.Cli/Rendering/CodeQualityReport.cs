using System.Security.Cryptography;
using System.Text;
using Keyless.Trust.Analysis;

namespace Keyless.Cli.Rendering;

/// <summary>
/// GitLab's Code Quality report (a Code Climate issue list), so findings appear in merge requests.
/// Source: https://docs.gitlab.com/ci/testing/code_quality/ (report format).
/// </summary>
public static class CodeQualityReport
{
    public static object From(IReadOnlyList<RoleAnalysis> analyses) =>
        analyses.SelectMany(a => a.Findings.Select(f => new
        {
            description = $"{a.Role.Name}: {f.Message} Fix: {f.Fix}",
            check_name = $"{f.Rule.Id} {f.Rule.Name}",
            fingerprint = Fingerprint(a, f),
            severity = f.Severity switch
            {
                Severity.Error => "critical",
                Severity.Warning => "major",
                _ => "info",
            },
            location = new { path = a.Role.Source, lines = new { begin = 1 } },
        })).ToList();

    internal static string Fingerprint(RoleAnalysis analysis, Finding finding) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{analysis.Role.Source}\n{analysis.Role.Name}\n{finding.Rule.Id}\n{finding.Message}")))[..32];
}
