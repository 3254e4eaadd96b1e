using System.ComponentModel;
using Keyless.Core.Configuration;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Publishing;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Deploy;

/// <summary>The options every bucket command shares: which bucket and prefix, with what credentials, how to print.</summary>
public class TargetSettings : FormatSettings
{
    /// <summary>Half of S3's 1,024-byte key limit, leaving the other half to the site's own paths.</summary>
    public const int MaxPrefixBytes = 512;

    [CommandOption("--env <NAME>")]
    [Description("An environment of keyless.json: its bucket, prefix, distribution and URL.")]
    public string? Environment { get; init; }

    [CommandOption("--bucket <NAME>")]
    [Description("The S3 bucket (overrides the environment's).")]
    public string? Bucket { get; init; }

    [CommandOption("--prefix <PREFIX>")]
    [Description("The key prefix the site lives under, such as staging (default: the bucket's root).")]
    public string? Prefix { get; init; }

    [CommandOption("--region <REGION>")]
    [Description("The bucket's region. Defaults to keyless.json's aws.region with --env, else $AWS_REGION, else us-east-1.")]
    public string? Region { get; init; }

    [CommandOption("--role <ARN>")]
    [Description("The role to assume with the job's ID token. Defaults to $AWS_ROLE_ARN.")]
    public string? Role { get; init; }

    [CommandOption("--config <FILE>")]
    [Description("The project config. Defaults to $KEYLESS_CONFIG, else the nearest keyless.json up to the repository root.")]
    public string? Config { get; init; }

    public override ValidationResult Validate()
    {
        if (Environment is null && Bucket is null)
        {
            return ValidationResult.Error("Name the target: --env NAME (an environment of keyless.json) or --bucket NAME.");
        }

        if (Environment is not null && !KeylessConfigParser.IsEnvironmentName(Environment))
        {
            return ValidationResult.Error($"--env {OptionChecks.Shown(Environment)}: not an environment name; keyless.json's environments are named with lower-case letters, digits and - (up to 31), such as staging.");
        }

        if (Prefix is not null && (!KeylessConfigParser.IsValidPrefix(Prefix) || System.Text.Encoding.UTF8.GetByteCount(Prefix) > MaxPrefixBytes))
        {
            return ValidationResult.Error($"--prefix {OptionChecks.Shown(Prefix)}: expected folder names separated by /, of letters, digits, - _ and ., none starting with a dot, at most {MaxPrefixBytes} bytes (S3 keys are at most 1,024), such as staging or sites/www.");
        }

        return Region is not null && !AwsNames.IsRegion(Region) ? ValidationResult.Error($"--region {Region}: not an AWS Region name; expected one such as eu-central-1 or us-gov-west-1 (AWS lists the Regions at https://docs.aws.amazon.com/general/latest/gr/rande.html).")
            : OptionChecks.Role(Role);
    }

    /// <summary>keyless.json: required with --env, read when there is one otherwise (for the site's Cache-Control rules).</summary>
    internal KeylessConfig? LoadConfig(KeylessServices services) =>
        Environment is null ? services.Config(Config) : services.RequiredConfig(Config, $"--env {Environment}");

    internal DeployTarget Target(KeylessConfig? config, KeylessServices services, string? distribution = null, string? url = null) =>
        new TargetOptions
        {
            Environment = Environment,
            Bucket = Bucket,
            Prefix = Prefix,
            Region = Region,
            Role = Role,
            Distribution = distribution,
            Url = url,
        }.Resolve(config, services.Environment, services.Files);
}

/// <summary>Options of the commands that weigh which releases keep their files: releases and prune.</summary>
public class RetainSettings : TargetSettings
{
    [CommandOption("--retain <N>")]
    [Description("How many of the latest releases keep their files (the live one included; as deploy --retain).")]
    [DefaultValue(Planner.DefaultRetain)]
    public int Retain { get; init; } = Planner.DefaultRetain;
}

/// <summary>Options of the commands that publish: deploy and rollback.</summary>
public class PublishSettings : TargetSettings
{
    [CommandOption("--distribution <ID>")]
    [Description("The CloudFront distribution to invalidate changed entry points in (overrides the environment's).")]
    public string? Distribution { get; init; }

    [CommandOption("--wait")]
    [Description("Wait until the CloudFront invalidation has completed.")]
    public bool Wait { get; init; }

    [CommandOption("--dry-run")]
    [Description("Print the plan and change nothing.")]
    public bool DryRun { get; init; }

    [CommandOption("--concurrency <N>")]
    [Description("Requests at a time.")]
    [DefaultValue(Publisher.DefaultConcurrency)]
    public int Concurrency { get; init; } = Publisher.DefaultConcurrency;

    public override ValidationResult Validate() =>
        Concurrency is < 1 or > Publisher.MaxConcurrency ? ValidationResult.Error($"--concurrency {Concurrency}: expected 1 to {Publisher.MaxConcurrency}.")
        : Distribution is not null && !AwsNames.IsDistributionId(Distribution) ? ValidationResult.Error($"--distribution {OptionChecks.Shown(Distribution)}: not a CloudFront distribution ID; expected up to 32 capital letters and digits, such as E2QWRUHAPOMQZL.")
        : base.Validate();
}
