using Keyless.Cli.Infrastructure;
using Keyless.Core.Findings;
using Keyless.Trust.Analysis;
using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>The readable report of <c>keyless trust check</c>: per role, who gets in, then the findings.</summary>
public static class CheckText
{
    public static void Write(IAnsiConsole console, IReadOnlyList<RoleAnalysis> analyses, CheckInputs inputs)
    {
        foreach (var analysis in analyses)
        {
            var verdict = analysis.HasErrors ? "[red]FAIL[/]" : "[green]ok[/]";
            var roleName = analysis.Role.RoleName is { } name && name != analysis.Role.Name ? $" (RoleName {name})" : "";
            console.MarkupLine($"{verdict} [bold]{Markup.Escape(analysis.Role.Name)}[/]{Markup.Escape(roleName)} [grey]({Markup.Escape(analysis.Role.Source)})[/]");
            if (analysis.Role.Parameters.Count > 0)
            {
                console.MarkupLine($"  parameters: {Markup.Escape(string.Join(", ", analysis.Role.Parameters.Select(p => $"{p.Name}={p.Value} ({(p.Given ? "--parameter" : "default")})")))}");
            }

            foreach (var provider in analysis.Providers)
            {
                console.MarkupLine(provider.ClientIds is { } ids
                    ? $"  provider {Markup.Escape(provider.Url)}: client IDs {Markup.Escape(string.Join(", ", ids.Select(i => $"\"{i}\"")))}"
                    : $"  provider {Markup.Escape(provider.Url)}: client IDs not known (neither this file nor --provider-url/--client-id declares the provider); assumed: any aud");
            }

            if (analysis.Admitted.Count == 0)
            {
                console.MarkupLine(analysis.Providers.Count == 0 && !analysis.HasErrors ? "  admits: no GitLab token (the role trusts other principals only)" : "  admits: [red]nobody[/]");
            }

            foreach (var grant in analysis.Admitted)
            {
                var others = string.Concat(grant.OtherClaims.Select(o => $"; {o.Key} {o.Value}"));
                console.MarkupLine($"  admits: projects {Markup.Escape(grant.Projects.ToString())}, {(grant.RefType == "branch" ? "branches" : "tags")} {Markup.Escape(grant.Refs.ToString())}; aud {Markup.Escape(grant.Audiences.ToString())}{Markup.Escape(others)} [grey]({Markup.Escape(grant.Provider)})[/]");
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

        foreach (var skipped in inputs.Skipped)
        {
            console.MarkupLine($"skipped {Markup.Escape(skipped.File)}: {Markup.Escape(skipped.Reason)}");
        }

        foreach (var unusable in inputs.Unusable)
        {
            console.MarkupLine($"[red]not checked[/] {Markup.Escape(unusable.File)}: {Markup.Escape(unusable.Reason)}");
        }

        var errors = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Error));
        var warnings = analyses.Sum(a => a.Findings.Count(f => f.Severity == Severity.Warning));
        console.MarkupLine($"{analyses.Count} role(s) checked: {errors} error(s), {warnings} warning(s); {analyses.Count(a => a.HasErrors)} role(s) fail.");
    }
}
