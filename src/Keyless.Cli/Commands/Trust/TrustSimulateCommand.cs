using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Trust;

public sealed class TrustSimulateSettings : ClockSettings
{
    [CommandOption("--policy <FILE>")]
    [Description("Trust policy: a policy document, `aws iam get-role` output, or a CloudFormation/CDK template.")]
    public string? Policy { get; init; }

    [CommandOption("--claims <FILE>")]
    [Description("The token's decoded payload (a JSON object of claims); - reads standard input.")]
    public string? Claims { get; init; }

    [CommandOption("--token <FILE>")]
    [Description("Instead of --claims: a raw ID token (a JWT) whose payload gives the claims; - reads standard input. Its signature is not checked (keyless token verify does); the token is never printed.")]
    public string? Token { get; init; }

    [CommandOption("--provider-url <URL>")]
    [Description("URL of an IAM OIDC provider of the account (repeatable). Defaults to the providers a template declares.")]
    public string[] ProviderUrls { get; init; } = [];

    [CommandOption("--client-id <ID>")]
    [Description("The providers' client-ID (audience) list (repeatable). Defaults to the list a template declares.")]
    public string[] ClientIds { get; init; } = [];

    [CommandOption("--account <ID>")]
    [Description("The role's AWS account. Defaults to the account in the policy's Federated principal.")]
    public string? Account { get; init; }

    [CommandOption("--duration-seconds <N>")]
    [Description("Requested session duration.")]
    [DefaultValue(3600)]
    public int DurationSeconds { get; init; } = 3600;

    [CommandOption("--max-session-duration <N>")]
    [Description("The role's MaxSessionDuration. Defaults to the value in get-role output or the template, else 3600.")]
    public int? MaxSessionDuration { get; init; }

    [CommandOption("--role-session-name <NAME>")]
    [Description("Requested RoleSessionName.")]
    [DefaultValue("keyless-simulate")]
    public string RoleSessionName { get; init; } = "keyless-simulate";

    [CommandOption("--role <LOGICAL_ID_OR_NAME>")]
    [Description("Which role of a template to evaluate when it has several.")]
    public string? Role { get; init; }

    public override ValidationResult Validate() =>
        Policy is null ? ValidationResult.Error("--policy FILE is required: the role's trust policy.")
        : (Claims, Token) is (null, null) ? ValidationResult.Error("--claims FILE or --token FILE is required: the token's decoded claims as a JSON object, or the raw ID token.")
        : (Claims, Token) is (not null, not null) ? ValidationResult.Error($"--claims {Claims} and --token {Token}: give one of them, not both; both describe the token's claims.")
        : Account is not null && !AwsNames.IsAccount(Account) ? ValidationResult.Error($"--account {Account}: expected a 12-digit AWS account ID, such as 111122223333.")
        : DurationSeconds < 0 ? ValidationResult.Error($"--duration-seconds {DurationSeconds}: expected a positive number of seconds (STS accepts 900 up to the role's maximum).")
        : MaxSessionDuration is < 0 ? ValidationResult.Error($"--max-session-duration {MaxSessionDuration}: expected a positive number of seconds (IAM allows 3600 to 43200).")
        : OptionChecks.ClientIds(ClientIds) is { Successful: false } clientIds ? clientIds
        : base.Validate();
}

/// <summary><c>keyless trust simulate</c>: what would STS answer for this token and this role?</summary>
public sealed class TrustSimulateCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : Command<TrustSimulateSettings>
{
    public override int Execute(CommandContext context, TrustSimulateSettings settings, CancellationToken cancellationToken)
    {
        var files = services.Files;
        var set = TrustDocuments.Load(settings.Policy!, files.Read(settings.Policy!, "--policy"), settings.Account);
        var role = set.SelectRole(settings.Role);
        var claims = settings.Token is { } token ? ClaimsOfToken(token) : TokenClaims.Parse(settings.Claims!, files.Read(settings.Claims!, "--claims"));
        var providers = ProviderOptions.Resolve(settings.ProviderUrls, settings.ClientIds, set);
        var account = settings.Account ?? role.Policy.FederatedAccount() ?? TrustDocuments.PlaceholderAccount;
        var now = services.Clock(settings.Now).GetUtcNow();
        var parameters = new AssumeRoleParameters(settings.RoleSessionName, settings.DurationSeconds, settings.MaxSessionDuration ?? role.MaxSessionDuration);

        var decision = StsSimulator.Simulate(new SimulationInput(role.Policy, claims, providers, account, now, parameters));

        JsonOutput.WriteResult(console, settings.Format, () => SimulationJson.From(role, decision), () => SimulationText.Write(console, role, decision));

        foreach (var objection in providers.Select(p => p.UrlObjection()).OfType<string>())
        {
            diagnostics.Warning(objection);
        }

        return decision.Allowed ? ExitCodes.Success : ExitCodes.Failed;
    }

    private TokenClaims ClaimsOfToken(string option)
    {
        var claims = TokenInput.Decode(option, services.Environment.Variable, services.Files).Claims;
        diagnostics.Note("the claims come from the token's payload; its signature was not checked (keyless token verify checks it as AWS STS would).");
        return claims;
    }
}
