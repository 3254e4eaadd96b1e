using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Core.Contracts;
using Keyless.Deploy;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Releases;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Deploy;

public sealed class DeploySettings : PublishSettings
{
    [CommandOption("--site <DIR>")]
    [Description("The built site. Defaults to keyless.json's site.output.")]
    public string? Site { get; init; }

    [CommandOption("--release <ID>")]
    [Description("The release id. Defaults to $CI_COMMIT_SHA, else the UTC time.")]
    public string? Release { get; init; }

    [CommandOption("--url <URL>")]
    [Description("The site's public URL, written to the dotenv file (overrides the environment's).")]
    public string? Url { get; init; }

    [CommandOption("--retain <N>")]
    [Description("How many of the latest releases keep their files in the bucket (the live one included).")]
    [DefaultValue(Planner.DefaultRetain)]
    public int Retain { get; init; } = Planner.DefaultRetain;

    [CommandOption("--cache-control <GLOB=VALUE>")]
    [Description("A Cache-Control rule before keyless.json's and the defaults, such as \"*.pdf=public, max-age=3600\"; repeatable, first match wins.")]
    public string[] CacheControl { get; init; } = [];

    [CommandOption("--dotenv <FILE>")]
    [Description("Where to write KEYLESS_ENVIRONMENT_URL and KEYLESS_RELEASE for GitLab's artifacts:reports:dotenv.")]
    [DefaultValue(DotEnvFile.DefaultName)]
    public string DotEnv { get; init; } = DotEnvFile.DefaultName;

    [CommandOption("--verify-url <URL>")]
    [Description("After publishing, fetch this URL and check it serves this release's bytes.")]
    public string? VerifyUrl { get; init; }

    public override ValidationResult Validate()
    {
        if (VerifyUrl is not null && !HttpUrl.Is(VerifyUrl))
        {
            return ValidationResult.Error($"--verify-url {VerifyUrl}: expected an absolute http(s) URL.");
        }

        return base.Validate();
    }
}

/// <summary><c>keyless deploy</c>: publish the built site as a new release.</summary>
public sealed class DeployCommand(IAnsiConsole console, Diagnostics diagnostics, KeylessServices services) : BucketCommand<DeploySettings>(console, diagnostics, services)
{
    public override async Task<int> ExecuteAsync(CommandContext context, DeploySettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check(settings.DotEnv, "--dotenv", Services.WorkingFolder);
        var config = settings.LoadConfig(Services);
        var target = settings.Target(config, Services, settings.Distribution, settings.Url);
        var site = settings.Site ?? config?.Site.Output
            ?? throw KeylessException.Input("Name the built site with --site DIR (or set site.output in keyless.json).");
        RefuseUnbuiltSource(site, config?.Site.Source ?? "site", Services.WorkingFolder);
        var rules = settings.CacheControl.Select(CacheControlPolicy.ParseOption).Concat(config?.Site.CacheRules ?? []);
        var now = Services.Time.GetUtcNow();
        var request = new DeployRequest(site, Services.Files, new DeployOptions(ReleaseId.Choose(settings.Release, Services.Environment, now), now)
        {
            Retain = settings.Retain,
            Commit = NonEmpty(ReleaseId.CommitVariable),
            Pipeline = NonEmpty("CI_PIPELINE_URL"),
        })
        {
            CacheControl = new CacheControlPolicy(rules),
            DryRun = settings.DryRun,
            Concurrency = settings.Concurrency,
            Wait = settings.Wait,
            VerifyUrl = settings.VerifyUrl is { } url ? new Uri(url) : null,
        };

        var report = Report(settings);
        var outcome = await report.RunAsync(observer => Deployer.DeployAsync(target, request, observer, cancellationToken));
        if (!outcome.DryRun)
        {
            DotEnvFile.Write(settings.DotEnv, Services.WorkingFolder, target.Url, outcome.Plan.Release);
        }

        report.Write(outcome, target);
        return ExitCodes.Success;
    }

    /// <summary>
    /// The site's source folder is not what goes to the bucket: without `keyless site build` its assets are not
    /// fingerprinted, so they could not be cached for long, and nothing checked its links. A build leaves its
    /// manifest in the output; the source folder without one is refused.
    /// </summary>
    private static void RefuseUnbuiltSource(string site, string source, string workingFolder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(site, workingFolder));
        if (full == Path.TrimEndingDirectorySeparator(Path.GetFullPath(source, workingFolder)) && Directory.Exists(full) && !File.Exists(Path.Combine(full, BuildManifest.FileName)))
        {
            throw KeylessException.Input($"--site {site}: this is the site's source folder (site.source in keyless.json, site by default), not a build: it has no {BuildManifest.FileName}. Build it with `keyless site build` and deploy the output, e.g. --site dist.");
        }
    }

    private string? NonEmpty(string variable) => Services.Environment.Variable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
