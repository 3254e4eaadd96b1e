using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Core;
using Keyless.Identity.Exchange;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands;

public sealed class ExecSettings : CommandSettings
{
    [CommandOption("--role <ARN>")]
    [Description("The IAM role to assume. Defaults to $AWS_ROLE_ARN.")]
    public string? Role { get; init; }

    [CommandOption("--policy <FILE>")]
    [Description("The role's trust policy (a policy document, `aws iam get-role` output, or a CloudFormation/CDK template), to explain an AccessDenied.")]
    public string? Policy { get; init; }

    [CommandOption("--role-name-in-policy <NAME>")]
    [Description("Which role of a --policy template to use. Defaults to the only role, or the one named like the ARN.")]
    public string? RoleNameInPolicy { get; init; }

    [CommandOption("--duration-seconds <N>")]
    [Description("How long the credentials last: 900 to the role's MaxSessionDuration.")]
    [DefaultValue(ExchangeRequest.DefaultDurationSeconds)]
    public int DurationSeconds { get; init; } = ExchangeRequest.DefaultDurationSeconds;

    [CommandOption("--token-variable <NAME>")]
    [Description("The environment variable that holds the job's ID token; $AWS_WEB_IDENTITY_TOKEN_FILE is read when it is unset.")]
    [DefaultValue(EnvironmentNames.IdToken)]
    public string TokenVariable { get; init; } = EnvironmentNames.IdToken;

    public override ValidationResult Validate() =>
        RoleNameInPolicy is not null && Policy is null ? ValidationResult.Error("--role-name-in-policy needs --policy FILE: it picks a role of that file.")
        : DurationSeconds is < ExchangeRequest.MinDurationSeconds or > ExchangeRequest.MaxDurationSeconds ? ValidationResult.Error($"--duration-seconds {DurationSeconds}: expected {ExchangeRequest.MinDurationSeconds} to {ExchangeRequest.MaxDurationSeconds} (15 minutes to 12 hours, and at most the role's MaxSessionDuration).")
        : !OptionChecks.IsVariableName(TokenVariable) ? ValidationResult.Error($"--token-variable {TokenVariable}: not an environment variable name; expected letters, digits and _, such as {EnvironmentNames.IdToken}.")
        : OptionChecks.Role(Role);
}

/// <summary>
/// <c>keyless exec -- CMD ARGS…</c>: exchanges the job's ID token for AWS credentials and runs CMD with them in
/// its environment, like <c>aws-vault exec</c>. Prints nothing on success, writes nothing to disk, and exits
/// with CMD's exit code.
/// </summary>
public sealed class ExecCommand(KeylessServices services) : AsyncCommand<ExecSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ExecSettings settings, CancellationToken cancellationToken)
    {
        var command = context.Remaining.Raw;

        if (command.Count == 0)
        {
            throw KeylessException.Input("Name the command to run after --, e.g. keyless exec --role arn:aws:iam::111122223333:role/deploy -- aws sts get-caller-identity.");
        }

        var environment = services.Environment;
        var files = services.Files;
        var request = new ExchangeRequest
        {
            RoleArn = settings.Role,
            TokenVariable = settings.TokenVariable,
            DurationSeconds = settings.DurationSeconds,
            Policy = settings.Policy is { } path ? new TrustPolicyText(path, files.Read(path, "--policy"), settings.RoleNameInPolicy) : null,
        };

        var credentials = await new StsExchange(environment, files, services.Time).ExchangeAsync(request, cancellationToken);
        return await ChildProcess.RunAsync(command, ChildEnvironment.Changes(credentials, environment, settings.TokenVariable), services.WorkingFolder);
    }
}
