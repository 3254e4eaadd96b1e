using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Core.Scaffolding;
using Keyless.Stack;
using Keyless.Trust.Analysis;
using Spectre.Console;

namespace Keyless.Cli.Commands.Init;

/// <summary>
/// The values of keyless.json: from the options, then the keyless.json already in the repository (a re-run starts
/// from what was chosen before), then git, then the defaults, then (in a terminal, without --yes) by asking; whatever
/// is still missing is one error naming every option to pass.
/// </summary>
internal sealed class InitAnswers(InitSettings settings, KeylessConfig? existing, GitFacts git, KeylessServices services, IAnsiConsole console, bool ask)
{
    /// <summary>The default component: keyless's own release of it, or the latest release for a build that is not one.</summary>
    public static string DefaultComponent =>
        "$CI_SERVER_FQDN/acme/keyless/deploy@" + (KeylessApp.Version.Split('+')[0] is var version && !version.Contains('-', StringComparison.Ordinal) ? version : "~latest");

    private readonly List<string> _missing = [];

    private readonly SortedSet<string> _reasons = new(StringComparer.Ordinal);

    public ProjectSetup Resolve()
    {
        var remote = git.Remote;
        var before = existing?.GitLab;
        var gitlabUrl = Value(settings.GitLabUrl ?? before?.Url ?? remote?.GitLabUrl, "--gitlab-url", "GitLab instance URL", KeylessConfigParser.IsGitLabUrl, "an https URL without port or trailing slash, e.g. https://gitlab.com", because: git.Problem);
        if (gitlabUrl is not null && !KeylessConfigParser.IsGitLabUrl(gitlabUrl))
        {
            throw KeylessException.Input($"the git remote origin is on {gitlabUrl}, but keyless.json's gitlab.url must be the instance's https URL without a port (the issuer of its ID tokens). Pass --gitlab-url URL, e.g. --gitlab-url https://{new Uri(gitlabUrl).Host}.");
        }

        var project = Value(settings.Project ?? before?.Project ?? remote?.Project, "--project", "Project path (GROUP/PROJECT)", KeylessConfigParser.IsProjectPath, "the project's full path, e.g. acme/website", because: git.Problem);

        // The IDs in keyless.json are those of its project: another instance or project needs its own.
        var same = before is not null && before.Url == gitlabUrl && before.Project == project ? before : null;
        var onGitLabCom = gitlabUrl == ProviderUrl.GitLabCom;
        var projectId = onGitLabCom
            ? Value(settings.ProjectId ?? same?.ProjectId, "--project-id", "Project ID (the number on the project's overview page)", GitLabId.IsValid, $"the project's numeric ID, which roles on gitlab.com pin: {GitLabId.Expected}")
            : settings.ProjectId ?? same?.ProjectId;
        var namespaceId = settings.NamespaceId
            ?? (same is not null ? same.NamespaceId : onGitLabCom && ask ? Optional("Namespace ID of the top-level group (optional, Enter to skip)", GitLabId.IsValid, GitLabId.Expected) : null);
        var account = Value(settings.AwsAccount ?? existing?.Aws.Account, "--aws-account", "AWS account ID", AwsNames.IsAccount, "the 12-digit AWS account ID");
        var region = Value(settings.Region ?? existing?.Aws.Region, "--region", "AWS Region", AwsNames.IsRegion, "an AWS Region such as eu-central-1");
        var site = Value(settings.Site ?? existing?.Site.Source ?? (Directory.Exists(services.FullPath("site")) ? "site" : null), "--site", "Folder of the site's pages", InitSettings.IsSiteFolder, "the folder of the site's pages; there is no folder site here");
        if (_missing.Count > 0)
        {
            var reasons = string.Concat(_reasons.Select(r => $" The git remote cannot tell: {r}."));
            throw KeylessException.Input($"keyless init needs {string.Join("; ", _missing)}.{reasons} Pass {(_missing.Count == 1 ? "it" : "them")} as options{(settings.Yes ? "" : ", or run keyless init in a terminal to be asked")}.");
        }

        if (!Directory.Exists(services.FullPath(site!)))
        {
            var fromFile = settings.Site is null && existing is not null;
            var named = fromFile ? $"{existing!.Source}: site.source {OptionChecks.Shown(site!)}" : $"--site {OptionChecks.Shown(site!)}";
            throw KeylessException.Input($"{named}: there is no such folder in {services.WorkingFolder}. Name the folder that holds the site's pages (index.html), relative to the repository's root{(fromFile ? ", with --site DIR" : "")}.");
        }

        var gitlab = new GitLabSettings(gitlabUrl!, project!, projectId, namespaceId, settings.DefaultBranch ?? before?.DefaultBranch ?? git.DefaultBranch ?? "main", settings.Audience ?? before?.Audience ?? "sts.amazonaws.com");
        var config = new KeylessConfig(
            KeylessConfig.FileName,
            gitlab,
            new AwsSettings(account!, region!),
            existing?.Site is { } kept ? kept with { Source = site!.TrimEnd('/') } : new SiteSettings(site!.TrimEnd('/'), "dist"),
            settings.EnvironmentSettings() ?? Environments(gitlab),
            existing?.Thumbprints ?? []);

        // Through the writer and the parser, as every later command reads it: a value they would refuse stops here.
        var parsed = ExpectationOverlap.VerifyDisjoint(KeylessConfigParser.Parse(KeylessConfig.FileName, KeylessConfigWriter.Write(config, schema: null)));
        return new ProjectSetup(parsed, settings.Component ?? DefaultComponent)
        {
            AwsSide = settings.Aws,
            ExistingProviderArn = ExistingProvider.Check(settings.OidcProvider, parsed, "--oidc-provider"),
            PackageVersion = KeylessApp.Version.Split('+')[0],
        };
    }

    /// <summary>
    /// keyless.json's environments as they are, except the defaults, which follow a new default branch: the
    /// environments were left to init then, so they are now.
    /// </summary>
    private IReadOnlyList<EnvironmentSettings> Environments(GitLabSettings gitlab) =>
        existing is null || IsDefault(existing) ? KeylessConfigParser.Defaults(gitlab) : existing.Environments;

    private static bool IsDefault(KeylessConfig config) =>
        KeylessConfigWriter.Write(config with { Environments = KeylessConfigParser.Defaults(config.GitLab) }) == KeylessConfigWriter.Write(config);

    private string? Value(string? given, string option, string question, Func<string, bool> valid, string expected, string? because = null)
    {
        if (given is not null)
        {
            return given;
        }

        if (ask)
        {
            return console.Prompt(new TextPrompt<string>(question + ":").Validate(v => valid(v) ? ValidationResult.Success() : ValidationResult.Error($"Expected {expected}.")));
        }

        _missing.Add($"{option} ({expected})");
        if (because is not null)
        {
            _reasons.Add(because);
        }

        return null;
    }

    private string? Optional(string question, Func<string, bool> valid, string expected)
    {
        var answer = console.Prompt(new TextPrompt<string>(question + ":").AllowEmpty().Validate(v => v.Length == 0 || valid(v) ? ValidationResult.Success() : ValidationResult.Error($"Expected {expected}.")));
        return answer.Length == 0 ? null : answer;
    }
}
