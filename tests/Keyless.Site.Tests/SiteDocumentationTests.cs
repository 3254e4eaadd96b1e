namespace Keyless.Site.Tests;

/// <summary>The site page of the documentation names every rule of <c>keyless site check</c>.</summary>
public sealed class SiteDocumentationTests
{
    public static TheoryData<string, string> RuleRows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var rule in SiteRules.All)
        {
            rows.Add(rule.Id, rule.Name);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(RuleRows))]
    public void Should_DocumentTheRule_When_TheCheckerHasIt(string id, string name)
    {
        var readme = File.ReadAllText(Path.Combine(SiteRepo.Root, "docs", "site.md"));

        Assert.Contains($"| {id} | {name} |", readme, StringComparison.Ordinal);
    }
}
