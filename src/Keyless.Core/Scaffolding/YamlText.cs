using System.Text.RegularExpressions;

namespace Keyless.Core.Scaffolding;

/// <summary>Writing a value into generated YAML: as it is when YAML reads it back as the same string, else single-quoted.</summary>
public static partial class YamlText
{
    public static string Scalar(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Plain().IsMatch(value) && !Reserved().IsMatch(value) && !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal)
            ? value
            : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    // Starts with a character no YAML indicator uses, holds no flow indicator and does not end in a space or colon.
    [GeneratedRegex(@"^[A-Za-z$/_.][A-Za-z0-9$/_.*^=~!""()+@ \\-]*(?<![ :])$")]
    private static partial Regex Plain();

    // Words YAML 1.1 (GitLab's parser) reads as booleans or null, and numbers.
    [GeneratedRegex(@"^(y|yes|n|no|true|false|on|off|null|\.inf|\.nan|[0-9._+-]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Reserved();
}
