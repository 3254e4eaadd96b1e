using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CsCheck;
using Keyless.Cli.Rendering;
using Keyless.Core.Findings;

namespace Keyless.Cli.Tests;

/// <summary>The one Code Quality, SARIF and JUnit writer each that <c>trust check</c> and <c>site check</c> share.</summary>
public sealed class ReportWriterTests
{
    private static readonly Gen<ReportFinding> Findings =
        Gen.Select(
            Gen.Enum<Severity>(),
            Gen.OneOf("a.html", "b/c.html", "policy.json"),
            Gen.Int[0, 40].Select(i => i == 0 ? (int?)null : i),
            Gen.String[Gen.Char.AlphaNumeric, 1, 12],
            (severity, path, line, message) => new ReportFinding("KX001", "rule", severity, message, path, line, ReportFinding.Hash(path, message)));

    [Fact]
    public void Should_FailExactlyTheCasesWithAnError_When_WritingJUnit()
    {
        Findings.Array[0, 8].Sample(findings =>
        {
            var cases = findings.GroupBy(f => f.Path).Select(g => new JUnitCase(g.Key, [.. g])).ToList();

            var suite = XDocument.Parse(JUnitReport.Write("all", "suite", "keyless.test", cases)).Root!.Element("testsuite")!;

            Assert.Equal(cases.Count, (int)suite.Attribute("tests")!);
            Assert.Equal(cases.Count(c => c.Findings.Any(f => f.Severity == Severity.Error)), (int)suite.Attribute("failures")!);
            foreach (var (testCase, element) in cases.Zip(suite.Elements("testcase")))
            {
                Assert.Equal(testCase.Name, (string)element.Attribute("name")!);
                var others = testCase.Findings.Where(f => f.Severity != Severity.Error).ToList();
                Assert.Equal(others.Select(f => f.Severity.ToString().ToLowerInvariant()), ((string?)element.Element("system-out") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
            }
        });
    }

    [Fact]
    public void Should_KeepEveryFindingWithItsFingerprintAndLine_When_WritingCodeQualityAndSarif()
    {
        Findings.Array[0, 8].Sample(findings =>
        {
            var issues = JsonNode.Parse(JsonSerializer.Serialize(CodeQualityReport.From(findings), JsonOutput.Options))!.AsArray();
            var results = JsonNode.Parse(JsonSerializer.Serialize(SarifReport.From([], findings, "https://example.com/"), JsonOutput.Options))!["runs"]![0]!["results"]!.AsArray();

            Assert.Equal(findings.Select(f => f.Fingerprint), issues.Select(i => (string)i!["fingerprint"]!));
            Assert.Equal(findings.Select(f => f.Line ?? 1), issues.Select(i => (int)i!["location"]!["lines"]!["begin"]!));
            Assert.Equal(findings.Select(f => f.Severity switch { Severity.Error => "critical", Severity.Warning => "major", _ => "info" }), issues.Select(i => (string)i!["severity"]!));
            Assert.Equal(findings.Select(f => f.Fingerprint), results.Select(r => (string)r!["partialFingerprints"]!["keyless/v1"]!));
            Assert.Equal(findings.Select(f => f.Path), results.Select(r => (string)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!));
            Assert.All(results, r => Assert.Null(r!["locations"]![0]!["logicalLocations"]));
        });
    }
}
