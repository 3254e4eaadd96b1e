using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Identity;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Token;

public sealed class TokenInspectSettings : CommandSettings
{
    [CommandOption("--token <FILE>")]
    [Description("File holding the ID token; - reads standard input. Defaults to $KEYLESS_ID_TOKEN (the token), else the file $AWS_WEB_IDENTITY_TOKEN_FILE names.")]
    public string? Token { get; init; }

    [CommandOption("--now <UNIX_SECONDS>")]
    [Description("Describe the expiry as of this time instead of the clock.")]
    public long? Now { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text or json.")]
    [DefaultValue(OutputFormat.Text)]
    public OutputFormat Format { get; init; } = OutputFormat.Text;

    public override ValidationResult Validate() =>
        Format is OutputFormat.Text or OutputFormat.Json
            ? ValidationResult.Success()
            : ValidationResult.Error($"--format {Format.ToString().ToLowerInvariant()} is not available here; use text or json.");
}

/// <summary><c>keyless token inspect</c>: what does this token say? Decoded, not verified; the token itself is never printed.</summary>
public sealed class TokenInspectCommand(IAnsiConsole console) : Command<TokenInspectSettings>
{
    public override int Execute(CommandContext context, TokenInspectSettings settings, CancellationToken cancellationToken)
    {
        var token = IdToken.Decode(TokenInput.Read(settings.Token));
        var now = Clock.From(settings.Now).GetUtcNow();

        if (settings.Format == OutputFormat.Json)
        {
            JsonOutput.Write(console, TokenJson.Inspection(token, now));
        }
        else
        {
            TokenText.WriteInspection(console, token, now);
        }

        return ExitCodes.Success;
    }
}
