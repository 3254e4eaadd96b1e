using System.Globalization;
using System.Text;
using System.Xml;
using Keyless.Core.Findings;

namespace Keyless.Cli.Rendering;

/// <summary>One test case of a JUnit report: a file (or other unit, in <paramref name="File"/>) and the findings in it.</summary>
public sealed record JUnitCase(string Name, IReadOnlyList<ReportFinding> Findings, string? File = null);

/// <summary>
/// JUnit XML for <c>artifacts:reports:junit</c>: one test suite of test cases; error findings fail their case,
/// the others go to its output. Source: https://docs.gitlab.com/ci/testing/unit_test_reports/
/// </summary>
public static class JUnitReport
{
    public static string Write(string name, string suite, string className, IReadOnlyList<JUnitCase> cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var failures = cases.Count(c => c.Findings.Any(f => f.Severity == Severity.Error));

        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(new StringWriter(builder), settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", name);
            writer.WriteAttributeString("tests", Invariant(cases.Count));
            writer.WriteAttributeString("failures", Invariant(failures));
            writer.WriteStartElement("testsuite");
            writer.WriteAttributeString("name", suite);
            writer.WriteAttributeString("tests", Invariant(cases.Count));
            writer.WriteAttributeString("failures", Invariant(failures));
            writer.WriteAttributeString("errors", "0");
            writer.WriteAttributeString("skipped", "0");
            foreach (var testCase in cases)
            {
                var errors = testCase.Findings.Where(f => f.Severity == Severity.Error).ToList();
                var others = testCase.Findings.Where(f => f.Severity != Severity.Error).ToList();
                writer.WriteStartElement("testcase");
                writer.WriteAttributeString("classname", className);
                writer.WriteAttributeString("name", testCase.Name);
                writer.WriteAttributeString("file", testCase.File ?? testCase.Name);
                if (errors.Count > 0)
                {
                    writer.WriteStartElement("failure");
                    writer.WriteAttributeString("type", string.Join(" ", errors.Select(e => e.RuleId).Distinct()));
                    writer.WriteAttributeString("message", errors.Count == 1 ? Line(errors[0]) : $"{errors.Count} errors, the first: {Line(errors[0])}");
                    writer.WriteString(string.Join("\n", errors.Select(e => $"{testCase.Name}:{Line(e)}")));
                    writer.WriteEndElement();
                }

                if (others.Count > 0)
                {
                    writer.WriteElementString("system-out", string.Join("\n", others.Select(o => $"{o.Severity.ToString().ToLowerInvariant()} {testCase.Name}:{Line(o)}")));
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return builder.Append('\n').ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static string Line(ReportFinding finding) =>
        $"{(finding.Line is { } line ? Invariant(line) + ": " : "")}{finding.RuleId} {finding.RuleName}: {finding.Message}";

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
