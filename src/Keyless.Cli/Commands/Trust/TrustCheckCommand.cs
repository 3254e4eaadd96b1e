using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Trust;
using Keyless.Trust.Analysis;
using Keyless.Trust.Configuration;
using Keyless.Trust.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Trust;

public sealed class TrustCheckSettings : CommandSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("Policy documents, `aws iam get-role` outputs, CloudFormation templates, or folders of them (a folder with *.template.json files, such as cdk.out, is read for those only).")]
    public string[] Paths { get; init; } = [];

    [CommandOption("--expect <FILE>")]
    [Description("Which project and refs each role is meant for; the check fails when a role admits more or less.")]
    public string? Expect { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The project config: roles tagged keyless:environment (the CDK app's) must admit exactly their environment's refs. Defaults to ./keyless.json when it exists and --expect is not given.")]
    public string? Config { get; init; }

    [CommandOption("--provider-url <URL>")]
    [Description("An IAM OIDC provider of the account (repeatable), in addition to those the templates declare.")]
    public string[] ProviderUrls { get; init; } = [];

    [CommandOption("--client-id <ID>")]
    [Description("The client-ID list of the providers given with --provider-url (repeatable).")]
    public string[] ClientIds { get; init; } = [];

    [CommandOption("--now <UNIX_SECONDS>")]
    [Description("Time used for the witnesses' iat/exp. Defaults to the clock.")]
    public long? Now { get; init; }

    [CommandOption("--format <FORMAT>")]
    [Description("text, json, codequality (GitLab Code Quality report) or sarif (SARIF 2.1.0).")]
    [DefaultValue(OutputFormat.Text)]
    public OutputFormat Format { get; init; } = OutputFormat.Text;

    public override ValidationResult Validate() =>
        Paths.Length == 0 ? ValidationResult.Error("Name at least one PATH: a policy, a template or a folder such as cdk.out.")
        : ClientIds.Length > 0 && ProviderUrls.Length == 0 ? ValidationResult.Error($"--client-id {ClientIds[0]}: it is the client-ID list of the providers named with --provider-url, and none is named. Add --provider-url URL (e.g. --provider-url https://gitlab.com), or drop --client-id to use the providers the templates declare.")
        : OptionChecks.ClientIds(ClientIds) is { Successful: false } clientIds ? clientIds
        : UnixTime.Validate(Now);
}

/// <summary><c>keyless trust check</c>: who gets in, exactly, and what is wrong with it.</summary>
public sealed class TrustCheckCommand(IAnsiConsole console) : Command<TrustCheckSettings>
{
    public override int Execute(CommandContext context, TrustCheckSettings settings, CancellationToken cancellationToken)
    {
        var sets = PolicyPaths.Expand(settings.Paths)
            .Select(file => TrustDocuments.Load(file, InputFiles.Read(file, "PATH")))
            .ToList();
        var providers = sets.SelectMany(s => s.Providers).ToList();
        if (settings.ProviderUrls.Length > 0)
        {
            providers.AddRange(ProviderOptions.Resolve(settings.ProviderUrls, settings.ClientIds, sets[0]));
        }

        var expectations = settings.Expect is null ? null : Expectations.Parse(settings.Expect, InputFiles.Read(settings.Expect, "--expect"));
        var roles = sets.SelectMany(s => s.Roles).ToList();
        foreach (var name in expectations?.Roles.Keys.Where(n => roles.All(r => r.Name != n)) ?? [])
        {
            throw KeylessException.Input($"--expect {settings.Expect}: names the role \"{name}\", which none of the inputs has (roles: {string.Join(", ", roles.Select(r => r.Name))}).");
        }

        var configPath = settings.Config ?? (settings.Expect is null && File.Exists(KeylessConfig.FileName) ? KeylessConfig.FileName : null);
        var config = configPath is null ? null : KeylessConfigParser.Parse(configPath, InputFiles.Read(configPath, "--config"));
        var now = settings.Now is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.UtcNow;
        var analyses = roles
            .Select(role => TrustAnalyzer.Analyze(role, providers, expectations?.Roles.GetValueOrDefault(role.Name) ?? ExpectationFromConfig(config, role), now))
            .ToList();

        switch (settings.Format)
        {
            case OutputFormat.Json:
                JsonOutput.Write(console, CheckJson.From(analyses));
                break;
            case OutputFormat.CodeQuality:
                JsonOutput.Write(console, CodeQualityReport.From(analyses));
                break;
            case OutputFormat.Sarif:
                JsonOutput.Write(console, SarifReport.From(analyses));
                break;
            default:
                CheckText.Write(console, analyses);
                break;
        }

        return analyses.Any(a => a.HasErrors) ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static RoleExpectation? ExpectationFromConfig(KeylessConfig? config, RoleTrust role) =>
        config is null || role.Environment is not { } environment
            ? null
            : config.Environments.Any(e => e.Name == environment)
                ? config.Expectation(config.Environment(environment))
                : throw KeylessException.Input($"{role.Source}: the role {role.Name} is tagged {RoleTrust.EnvironmentTag}={environment}, but {config.Source} has no such environment (it has {string.Join(", ", config.Environments.Select(e => e.Name))}). Synthesize the template again from the current config.");
}
