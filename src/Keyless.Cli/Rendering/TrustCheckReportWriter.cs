using Keyless.Cli.Infrastructure;
using Keyless.Trust.Analysis;
using Spectre.Console;
using Rule = Keyless.Core.Findings.Rule;

namespace Keyless.Cli.Rendering;

/// <summary>The report of <c>keyless trust check</c>: per role, who gets in and what is wrong with it.</summary>
public sealed class TrustCheckReportWriter(IReadOnlyList<RoleAnalysis> analyses, CheckInputs inputs) : CheckReportWriter
{
    public override IReadOnlyList<ReportFinding> Findings { get; } = ReportFindings.From(analyses);

    public override IReadOnlyList<Rule> Rules => Keyless.Trust.Analysis.Rules.All;

    protected override string? InformationUri => "https://docs.gitlab.com/ci/cloud_services/aws/";

    public override void WriteText(IAnsiConsole console) => CheckText.Write(console, analyses, inputs);

    public override object Json() => CheckJson.From(analyses, inputs);

    /// <summary>One test case per role; a role with an error finding fails.</summary>
    public override string JUnit()
    {
        var byRole = Findings.ToLookup(f => (f.Path, f.Resource));
        var cases = analyses.Select(a => new JUnitCase(a.Role.Name, [.. byRole[(a.Role.Source, a.Role.Name)]], a.Role.Source)).ToList();
        return JUnitReport.Write("keyless trust check", "trust check", "keyless.trust", cases);
    }
}
