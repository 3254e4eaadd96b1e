using Keyless.Core.Findings;
using Keyless.Site;
using Spectre.Console;

namespace Keyless.Cli.Commands.Site;

/// <summary>The readable report of <c>keyless site check</c>: findings grouped by file, then a summary line.</summary>
public static class SiteCheckText
{
    public static void Write(IAnsiConsole console, SiteCheckReport report, string label)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        foreach (var group in report.Findings.GroupBy(f => f.File))
        {
            console.MarkupLine($"[bold]{Markup.Escape(SiteFolders.Display(label, group.Key))}[/]");
            foreach (var finding in group)
            {
                var colour = finding.Severity == Severity.Error ? "red" : "yellow";
                var line = finding.Line is { } l ? $"{l}:" : "";
                console.MarkupLine($"  {line,-6}[{colour}]{finding.Severity.ToString().ToLowerInvariant(),-7}[/] {finding.Rule.Id} {finding.Rule.Name}: {Markup.Escape(finding.Message)}");
            }

            console.WriteLine();
        }

        var verdict = report.HasErrors ? "[red]FAIL[/]" : "[green]ok[/]";
        console.MarkupLine($"{verdict} {Markup.Escape(Summary(report, label))}");
    }

    public static string Summary(SiteCheckReport report, string label)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"{report.Pages.Count} page(s), {report.Files.Count} file(s) checked in {label}: {report.Errors} error(s), {report.Warnings} warning(s).";
    }
}
