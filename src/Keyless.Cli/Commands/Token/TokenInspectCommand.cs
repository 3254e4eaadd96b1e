using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Token;

public sealed class TokenInspectSettings : TokenSettings
{
    [CommandOption("--policy <FILE>")]
    [Description("A trust policy, `aws iam get-role` output or CloudFormation template (e.g. cdk.out/….template.json): say which of its roles this token would get, and why not the others.")]
    public string? Policy { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The project config; say which environments this token could deploy to. Defaults to $KEYLESS_CONFIG, else the nearest keyless.json up to the repository root, when there is one.")]
    public string? Config { get; init; }
}

/// <summary><c>keyless token inspect</c>: what does this token say? Decoded, not verified; the token itself is never printed.</summary>
public sealed class TokenInspectCommand(IAnsiConsole console, KeylessServices services) : Command<TokenInspectSettings>
{
    public override int Execute(CommandContext context, TokenInspectSettings settings, CancellationToken cancellationToken)
    {
        var token = TokenInput.Decode(settings.Token, services.Environment.Variable, services.Files);
        var now = services.Clock(settings.Now).GetUtcNow();
        var access = new List<RoleAccess>();
        if (settings.Policy is { } policy)
        {
            access.AddRange(TokenAccess.ForTemplate(token.Claims, TrustDocuments.Load(policy, services.Files.Read(policy, "--policy")), now));
        }

        if (services.Config(settings.Config) is { } config)
        {
            access.AddRange(TokenAccess.ForConfig(token.Claims, config, now));
        }

        JsonOutput.WriteResult(console, settings.Format, () => TokenJson.Inspection(token, now, access), () => TokenText.WriteInspection(console, token, now, access));

        return ExitCodes.Success;
    }
}
