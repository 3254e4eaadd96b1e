using System.Security.Cryptography;
using System.Text;
using Keyless.Core.Findings;

namespace Keyless.Cli.Rendering;

/// <summary>
/// One finding as the machine reports (Code Quality, SARIF, JUnit) write it, whichever checker found it:
/// <see cref="Path"/> is the file as the report names it, <see cref="Line"/> 1-based when known, and
/// <see cref="Fingerprint"/> stays the same while the finding does, so GitLab can tell new findings from old.
/// </summary>
public sealed record ReportFinding(string RuleId, string RuleName, Severity Severity, string Message, string Path, int? Line, string Fingerprint)
{
    /// <summary>What in the file the finding is about (a role), for SARIF's logical location.</summary>
    public string? Resource { get; init; }

    /// <summary>Checker-specific details SARIF carries as the result's properties.</summary>
    public object? Properties { get; init; }

    /// <summary>A fingerprint: the first 32 hex digits of the SHA-256 of the parts, one a line.</summary>
    public static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];
}
