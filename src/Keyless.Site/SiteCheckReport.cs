using Keyless.Core.Findings;

namespace Keyless.Site;

/// <summary>What <c>keyless site check</c> found: the pages and files looked at, and the findings in file and line order.</summary>
public sealed record SiteCheckReport(string Root, IReadOnlyList<string> Pages, IReadOnlyList<string> Files, IReadOnlyList<SiteFinding> Findings)
{
    public int Errors => Findings.Count(f => f.Severity == Severity.Error);

    public int Warnings => Findings.Count(f => f.Severity == Severity.Warning);

    public bool HasErrors => Errors > 0;
}
