namespace Keyless.Core.Findings;

/// <summary>How much a finding matters, least first (the analyzer lists the worst findings first).</summary>
public enum Severity
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// A rule of a checker (<c>trust check</c>, <c>site check</c>): a stable id, a short name, the severity of its
/// findings and a one-line description. Ids never change meaning; new rules get new ids.
/// </summary>
public sealed record Rule(string Id, string Name, Severity Severity, string Description);
