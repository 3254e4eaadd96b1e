using Keyless.Trust.Analysis;
using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>The readable report of <c>keyless trust check</c>: per role, who gets in, then the findings.</summary>
public static class CheckText
{
    public static void Write(IAnsiConsole console, IReadOnlyList<RoleAnalysis> analyses)
    {
        foreach (var analysis in analyses)
        {
            var verdict = analysis.HasErrors ? "[red]FAIL[/]" : "[green]ok[/]";
            console.MarkupLine($"{verdict} [bold]{Markup.Escape(analysis.Role.Name)}[/] [grey]({Markup.Escape(analysis.Role.Source)})[/]");
            if (analysis.Admitted.Count == 0)
            {
                console.MarkupLine("  admits: [red]nobody[/]");
            }

            foreach (var grant in analysis.Admitted)
            {
                var others = string.Concat(grant.OtherClaims.Select(o => $"; {o.Key} {o.Value}"));
                console.MarkupLine($"  admits: projects {Markup.Escape(grant.Projects)}, {(grant.RefType == "branch" ? "branches" : "tags")} {Markup.Escape(grant.Refs)}; aud {Markup.Escape(grant.Audiences)}{Markup.Escape(others)} [grey]({Markup.Escape(grant.Provider)})[/]");
            }

            foreach (var finding in analysis.Findings)
            {
                var colour = finding.Severity switch
                {
                    Severity.Error => "red",
                    Severity.Warning => "yellow",
                    _ => "blue",
                };
                console.MarkupLine($"  [{colour}]{finding.Severity.ToString().ToLowerInvariant()}[/] {finding.Rule.Id} {Markup.Escape(finding.Rule.Name)}: {Markup.Escape(finding.Message)}");
                console.MarkupLine($"      fix: {Markup.Escape(finding.Fix)}");
                if (finding.Witness is { } witness)
                {
                    console.MarkupLine($"      witness: sub {Markup.Escape(witness["sub"]?.ToString() ?? "")}, aud {Markup.Escape(witness["aud"]?.ToString() ?? "")}, project_id {Markup.Escape(witness["project_id"]?.ToString() ?? "")}, ref_protected {Markup.Escape(witness["ref_protected"]?.ToString() ?? "")}");
                }
            }

            console.WriteLine();
        }

        var errors = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Error));
        var warnings = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Warning));
        console.MarkupLine($"{analyses.Count} role(s) checked: {errors} error(s), {warnings} warning(s); {analyses.Count(a => a.HasErrors)} role(s) fail.");
    }
}
