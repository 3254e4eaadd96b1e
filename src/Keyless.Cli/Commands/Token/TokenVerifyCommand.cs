using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Identity;
using Keyless.Trust.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Token;

public sealed class TokenVerifySettings : TokenSettings
{
    [CommandOption("--issuer <URL>")]
    [Description("The IAM OIDC provider URL; iss must equal it exactly (e.g. https://gitlab.com).")]
    public string? Issuer { get; init; }

    [CommandOption("--jwks <FILE_OR_URL>")]
    [Description("Verify with this JWKS file or URL instead of the issuer's discovery document.")]
    public string? Jwks { get; init; }

    [CommandOption("--client-id <ID>")]
    [Description("The provider's client-ID (audience) list (repeatable); aud must be one of them.")]
    public string[] ClientIds { get; init; } = [];

    public override ValidationResult Validate()
    {
        if (Issuer is null)
        {
            return ValidationResult.Error("--issuer URL is required: the IAM OIDC provider URL the token's iss must equal, e.g. --issuer https://gitlab.com.");
        }

        if (!HttpUrl.Is(Issuer))
        {
            return ValidationResult.Error($"--issuer {Issuer}: not an absolute http(s) URL; expected e.g. https://gitlab.com.");
        }

        if (ClientIds.Length == 0 || ClientIds.Any(string.IsNullOrWhiteSpace))
        {
            return ValidationResult.Error("--client-id ID is required (repeatable): the provider's client-ID list, e.g. --client-id sts.amazonaws.com.");
        }

        return OptionChecks.ClientIds(ClientIds) is { Successful: false } clientIds ? clientIds : base.Validate();
    }
}

/// <summary><c>keyless token verify</c>: would AWS STS accept this token from this provider? Exit 0 valid, 1 invalid, 2 unusable input.</summary>
public sealed class TokenVerifyCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : AsyncCommand<TokenVerifySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, TokenVerifySettings settings, CancellationToken cancellationToken)
    {
        var token = TokenInput.Read(settings.Token, services.Environment.Variable, services.Files);
        var clock = services.Clock(settings.Now);
        var verifier = new IdTokenVerifier(new JwksSource(services.Http, clock, files: services.Files), clock);
        var jwks = settings.Jwks is null ? null : JwksLocation.Parse(settings.Jwks);

        var provider = new OidcProvider(settings.Issuer!, settings.ClientIds);

        var result = await verifier.VerifyAsync(token, provider, jwks, cancellationToken);

        JsonOutput.WriteResult(console, settings.Format, () => TokenJson.Verification(result), () => TokenText.WriteVerification(console, result, clock.GetUtcNow()));

        if (provider.UrlObjection() is { } objection)
        {
            diagnostics.Warning(objection);
        }

        return result.Valid ? ExitCodes.Success : ExitCodes.Failed;
    }
}
