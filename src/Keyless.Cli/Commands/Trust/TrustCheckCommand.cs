using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Trust.Analysis;
using Keyless.Trust.Policies;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Trust;

public sealed class TrustCheckSettings : CheckReportSettings
{
    [CommandArgument(0, "<PATH>")]
    [Description("Policy documents, `aws iam get-role`/`list-roles` outputs, `terraform show -json` outputs, CloudFormation templates (JSON or YAML), or folders of them (their .json, .yaml and .yml files; a CDK cloud assembly's manifest, tree and asset files are skipped). A file that cannot be read is reported and the others are still checked.")]
    public string[] Paths { get; init; } = [];

    [CommandOption("--expect <FILE>")]
    [Description("Which project and refs each role is meant for; the check fails when a role admits more or less.")]
    public string? Expect { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The project config: roles tagged keyless:environment (the CDK app's) must admit exactly their environment's refs. Defaults, when --expect is not given, to $KEYLESS_CONFIG, else the nearest keyless.json up to the repository root.")]
    public string? Config { get; init; }

    [CommandOption("--provider-url <URL>")]
    [Description("An IAM OIDC provider of the account (repeatable), in addition to those the templates declare.")]
    public string[] ProviderUrls { get; init; } = [];

    [CommandOption("--client-id <ID>")]
    [Description("The client-ID list of the providers given with --provider-url (repeatable).")]
    public string[] ClientIds { get; init; } = [];

    [CommandOption("--parameter <NAME=VALUE>")]
    [Description("A value for a template parameter the trust policies read (repeatable); parameters not given use their Default. The values used are shown per role.")]
    public string[] Parameters { get; init; } = [];

    [CommandOption("--now <UNIX_SECONDS>")]
    [Description("Time used for the witnesses' iat/exp. Defaults to the clock.")]
    public long? Now { get; init; }

    public override ValidationResult Validate() =>
        Paths.Length == 0 ? ValidationResult.Error("Name at least one PATH: a policy, a template or a folder such as cdk.out.")
        : Parameters.FirstOrDefault(p => p.IndexOf('=', StringComparison.Ordinal) <= 0) is { } bad ? ValidationResult.Error($"--parameter {bad}: expected NAME=VALUE, e.g. --parameter GitLabProject=acme/site.")
        : ClientIds.Length > 0 && ProviderUrls.Length == 0 ? ValidationResult.Error($"--client-id {ClientIds[0]}: it is the client-ID list of the providers named with --provider-url, and none is named. Add --provider-url URL (e.g. --provider-url https://gitlab.com), or drop --client-id to use the providers the templates declare.")
        : OptionChecks.ClientIds(ClientIds) is { Successful: false } clientIds ? clientIds
        : UnixTime.Validate(Now);

    /// <summary>The --parameter values by name (the last one wins).</summary>
    public IReadOnlyDictionary<string, string> ParameterValues() =>
        Parameters.Select(p => p.Split('=', 2)).GroupBy(p => p[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
}

/// <summary><c>keyless trust check</c>: who gets in, exactly, and what is wrong with it.</summary>
public sealed class TrustCheckCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : Command<TrustCheckSettings>
{
    public override int Execute(CommandContext context, TrustCheckSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check(settings.Output, "--output", services.WorkingFolder);
        var files = services.Files;
        var paths = PolicyPaths.Expand(settings.Paths, files);
        var parameters = settings.ParameterValues();
        var sets = new List<TrustDocumentSet>();
        var unusable = new List<SkippedFile>();
        foreach (var file in paths.Files)
        {
            try
            {
                sets.Add(TrustDocuments.Load(file, files.Read(file, "PATH"), parameters: parameters));
            }
            catch (KeylessException e) when (e.Kind == FailureKind.UnusableInput)
            {
                unusable.Add(new SkippedFile(file, e.Message));
            }
        }

        if (sets.Count == 0)
        {
            throw KeylessException.Input($"No file could be checked: {string.Join(" ", unusable.Select(u => u.Reason))}");
        }

        // The account's providers given on the command line apply to every role; a template's own providers
        // only to the roles of that template (another file may be another account).
        var given = settings.ProviderUrls.Length > 0 ? ProviderOptions.Resolve(settings.ProviderUrls, settings.ClientIds, sets[0]) : [];

        var expectations = settings.Expect is null ? null : Expectations.Parse(settings.Expect, files.Read(settings.Expect, "--expect"));
        var roles = sets.SelectMany(s => s.Roles.Select(r => (Role: r, Set: s))).ToList();
        foreach (var name in expectations?.Roles.Keys.Where(n => roles.All(r => r.Role.Name != n)) ?? [])
        {
            throw KeylessException.Input($"--expect {settings.Expect}: names the role \"{name}\", which none of the inputs has (roles: {string.Join(", ", roles.Select(r => r.Role.Name))}).");
        }

        foreach (var name in parameters.Keys.Where(n => !roles.Any(r => r.Role.Parameters.Any(p => p.Given && p.Name == n))))
        {
            throw KeylessException.Input($"--parameter {name}: no trust policy of the inputs reads a template parameter of that name (parameters read: {string.Join(", ", roles.SelectMany(r => r.Role.Parameters).Select(p => p.Name).Distinct(StringComparer.Ordinal).DefaultIfEmpty("none"))}).");
        }

        var config = settings.Expect is null || settings.Config is not null ? services.Config(settings.Config) : null;
        var now = services.Clock(settings.Now).GetUtcNow();
        var analyses = roles
            .Select(r => TrustAnalyzer.Analyze(r.Role, [.. r.Set.Providers, .. given], expectations?.Roles.GetValueOrDefault(r.Role.Name) ?? ExpectationFromConfig(config, r.Role), now))
            .ToList();
        var notChecked = new CheckInputs(paths.Skipped, unusable);

        new TrustCheckReportWriter(analyses, notChecked).Write(console, diagnostics, settings, services.WorkingFolder);

        if (unusable.Count > 0)
        {
            throw KeylessException.Input($"{unusable.Count} file(s) could not be checked (the others were): {string.Join(" ", unusable.Select(u => u.Reason))}");
        }

        return analyses.Any(a => a.HasErrors) ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static RoleExpectation? ExpectationFromConfig(KeylessConfig? config, RoleTrust role) =>
        config is null || role.Environment is not { } environment
            ? null
            : config.Environments.Any(e => e.Name == environment)
                ? RoleExpectation.For(config, config.Environment(environment))
                : throw KeylessException.Input($"{role.Source}: the role {role.Name} is tagged {RoleTrust.EnvironmentTag}={environment}, but {config.Source} has no such environment (it has {string.Join(", ", config.Environments.Select(e => e.Name))}). Synthesize the template again from the current config.");
}
