using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Identity.Exchange;
using Spectre.Console;

namespace Keyless.Cli.Commands;

/// <summary>Checks of option values several commands share, in their settings' Validate.</summary>
internal static class OptionChecks
{
    /// <summary>--role: an IAM role ARN when given.</summary>
    public static ValidationResult Role(string? role)
    {
        if (role is null)
        {
            return ValidationResult.Success();
        }

        try
        {
            RoleArn.Parse(role, "--role");
            return ValidationResult.Success();
        }
        catch (KeylessException e)
        {
            return ValidationResult.Error(e.Message);
        }
    }

    /// <summary>--client-id: each an IAM OIDC provider client ID.</summary>
    public static ValidationResult ClientIds(IEnumerable<string> clientIds) =>
        clientIds.FirstOrDefault(id => !AwsNames.IsClientId(id)) is { } bad
            ? ValidationResult.Error($"--client-id {Shown(bad)}: expected a client ID (audience) of 1 to 255 printable characters, as IAM OIDC providers hold them, e.g. sts.amazonaws.com.")
            : ValidationResult.Success();

    /// <summary>A value as an error message quotes it: cut after 40 characters, so a pasted file does not fill the screen.</summary>
    public static string Shown(string value) => value.Length > 40 ? value[..40] + "…" : value;

    /// <summary>A POSIX environment variable name: letters, digits and underscores, not starting with a digit.</summary>
    public static bool IsVariableName(string name) =>
        name.Length is > 0 and <= 255 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
