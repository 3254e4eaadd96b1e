using System.Security.Cryptography;
using System.Text;
using System.Xml;
using Keyless.Site;

namespace Keyless.Cli.Commands.Site;

/// <summary>The machine reports of <c>keyless site check</c>: JSON, JUnit XML and GitLab Code Quality.</summary>
public static class SiteCheckReports
{
    public static object Json(SiteCheckReport report, string label)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            site = label,
            pages = report.Pages,
            findings = report.Findings.Select(f => new
            {
                rule = f.Rule.Id,
                name = f.Rule.Name,
                severity = f.Severity.ToString().ToLowerInvariant(),
                file = SiteFolders.Display(label, f.File),
                line = f.Line,
                message = f.Message,
            }),
            summary = new { pages = report.Pages.Count, files = report.Files.Count, errors = report.Errors, warnings = report.Warnings },
        };
    }

    /// <summary>
    /// GitLab's Code Quality report (a Code Climate issue list), the shape of <see cref="Rendering.CodeQualityReport"/>:
    /// error findings are critical, warnings major. Fingerprints are stable across line moves; repeats of the same
    /// finding in a file are numbered so that each stays its own issue.
    /// </summary>
    public static object CodeQuality(SiteCheckReport report, string label)
    {
        ArgumentNullException.ThrowIfNull(report);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return report.Findings.Select(f =>
        {
            var path = SiteFolders.Display(label, f.File);
            var key = $"{path}\n{f.Rule.Id}\n{f.Message}";
            var occurrence = seen[key] = seen.GetValueOrDefault(key) + 1;
            return new
            {
                description = f.Message,
                check_name = $"{f.Rule.Id} {f.Rule.Name}",
                fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}\n{occurrence}")))[..32],
                severity = f.Severity == SiteSeverity.Error ? "critical" : "major",
                location = new { path, lines = new { begin = f.Line ?? 1 } },
            };
        }).ToList();
    }

    /// <summary>
    /// JUnit XML for <c>artifacts:reports:junit</c>: one test case per page (and per other file with findings,
    /// and one for the site as a whole when it has a finding); error findings fail it, warnings go to its output.
    /// </summary>
    public static string JUnit(SiteCheckReport report, string label)
    {
        ArgumentNullException.ThrowIfNull(report);
        var byFile = report.Findings.ToLookup(f => f.File);
        var cases = report.Pages.Concat(byFile.Select(g => g.Key)).Distinct().Order(StringComparer.Ordinal).ToList();
        var failures = cases.Count(c => byFile[c].Any(f => f.Severity == SiteSeverity.Error));

        var builder = new StringBuilder();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using (var writer = XmlWriter.Create(new StringWriter(builder), settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("testsuites");
            writer.WriteAttributeString("name", "keyless site check");
            writer.WriteAttributeString("tests", Invariant(cases.Count));
            writer.WriteAttributeString("failures", Invariant(failures));
            writer.WriteStartElement("testsuite");
            writer.WriteAttributeString("name", $"site check {label}");
            writer.WriteAttributeString("tests", Invariant(cases.Count));
            writer.WriteAttributeString("failures", Invariant(failures));
            writer.WriteAttributeString("errors", "0");
            writer.WriteAttributeString("skipped", "0");
            foreach (var file in cases)
            {
                var path = SiteFolders.Display(label, file);
                var errors = byFile[file].Where(f => f.Severity == SiteSeverity.Error).ToList();
                var warnings = byFile[file].Where(f => f.Severity == SiteSeverity.Warning).ToList();
                writer.WriteStartElement("testcase");
                writer.WriteAttributeString("classname", "keyless.site");
                writer.WriteAttributeString("name", path);
                writer.WriteAttributeString("file", path);
                if (errors.Count > 0)
                {
                    writer.WriteStartElement("failure");
                    writer.WriteAttributeString("type", string.Join(" ", errors.Select(e => e.Rule.Id).Distinct()));
                    writer.WriteAttributeString("message", errors.Count == 1 ? Line(errors[0]) : $"{errors.Count} errors, the first: {Line(errors[0])}");
                    writer.WriteString(string.Join("\n", errors.Select(e => $"{path}:{Line(e)}")));
                    writer.WriteEndElement();
                }

                if (warnings.Count > 0)
                {
                    writer.WriteElementString("system-out", string.Join("\n", warnings.Select(w => $"warning {path}:{Line(w)}")));
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return builder.Append('\n').ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal);
    }

    private static string Line(SiteFinding finding) =>
        $"{(finding.Line is { } line ? Invariant(line) + ": " : "")}{finding.Rule.Id} {finding.Rule.Name}: {finding.Message}";

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
