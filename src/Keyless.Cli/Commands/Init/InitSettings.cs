using System.ComponentModel;
using System.Text.RegularExpressions;
using Keyless.Core.Configuration;
using Keyless.Core.Scaffolding;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Init;

public sealed partial class InitSettings : CommandSettings
{
    [CommandOption("--repository <DIR>")]
    [Description("The repository's folder: where the files are written, the git remote is read and --site is relative to. Defaults to the working folder.")]
    public string? Repository { get; init; }

    [CommandOption("--gitlab-url <URL>")]
    [Description("The GitLab instance, e.g. https://gitlab.example.com. Defaults to the host of the git remote origin.")]
    public string? GitLabUrl { get; init; }

    [CommandOption("--project <PATH>")]
    [Description("The project's full path, e.g. acme/website. Defaults to the path of the git remote origin.")]
    public string? Project { get; init; }

    [CommandOption("--project-id <ID>")]
    [Description("The project's numeric ID (the project's overview page, or Settings → General). Required on gitlab.com, where the roles pin it.")]
    public string? ProjectId { get; init; }

    [CommandOption("--namespace-id <ID>")]
    [Description("The numeric ID of the project's top-level group or user namespace; on gitlab.com the roles pin it too. Optional.")]
    public string? NamespaceId { get; init; }

    [CommandOption("--default-branch <BRANCH>")]
    [Description("The branch staging deploys. Defaults to the remote's default branch (origin/HEAD), else main.")]
    public string? DefaultBranch { get; init; }

    [CommandOption("--audience <AUD>")]
    [Description("The aud of the deploy jobs' ID tokens, and the client ID of the account's GitLab OIDC provider. Defaults to sts.amazonaws.com.")]
    public string? Audience { get; init; }

    [CommandOption("--aws-account <ID>")]
    [Description("The 12-digit ID of the AWS account the site is deployed to.")]
    public string? AwsAccount { get; init; }

    [CommandOption("--region <REGION>")]
    [Description("The AWS Region of the site's buckets, e.g. eu-central-1.")]
    public string? Region { get; init; }

    [CommandOption("--site <DIR>")]
    [Description("The folder of the site's pages, relative to the repository. Defaults to site.")]
    public string? Site { get; init; }

    [CommandOption("--env <NAME=REFS>")]
    [Description("An environment and the refs that deploy to it, comma-separated, e.g. --env staging=branch:main --env production=tag:v* (repeatable; replaces the default two). Each admits protected refs only; one named production deploys manually.")]
    public string[] Environments { get; init; } = [];

    [CommandOption("--component <REF>")]
    [Description("The keyless CI/CD component the deploy jobs use, HOST/GROUP/PROJECT/deploy@VERSION.")]
    public string? Component { get; init; }

    [CommandOption("--aws <FORM>")]
    [Description("How the AWS side is created: cloudformation (keyless.template.json, for aws cloudformation deploy or the console) or cdk (a CDK app using the Keyless.Cdk constructs).")]
    [TypeConverter(typeof(AwsSideFormConverter))]
    [DefaultValue(AwsSideForm.CloudFormation)]
    public AwsSideForm Aws { get; init; } = AwsSideForm.CloudFormation;

    [CommandOption("--oidc-provider <ARN>")]
    [Description("The account's existing OIDC provider for the GitLab instance (IAM allows one per URL): the AWS side refers to it instead of creating one.")]
    public string? OidcProvider { get; init; }

    [CommandOption("--overwrite")]
    [Description("Replace generated files that exist with other content (after showing the diff). An existing .gitlab-ci.yml is never replaced.")]
    public bool Overwrite { get; init; }

    [CommandOption("--yes")]
    [Description("Ask nothing: take every value from the options, the git remote and the defaults; a value that is still missing is an error.")]
    public bool Yes { get; init; }

    public override ValidationResult Validate() =>
        GitLabUrl is { } url && !KeylessConfigParser.IsGitLabUrl(url) ? Error("--gitlab-url", url, "the https URL of the GitLab instance without port, query or trailing slash, e.g. https://gitlab.example.com")
        : Project is { } project && !KeylessConfigParser.IsProjectPath(project) ? Error("--project", project, "the project's full path, GROUP/PROJECT with any subgroups between, e.g. acme/website")
        : ProjectId is { } projectId && !GitLabId.IsValid(projectId) ? Error("--project-id", projectId, $"the project's numeric ID, {GitLabId.Expected}, e.g. 61425730")
        : NamespaceId is { } namespaceId && !GitLabId.IsValid(namespaceId) ? Error("--namespace-id", namespaceId, $"the namespace's numeric ID, {GitLabId.Expected}, e.g. 98765432")
        : DefaultBranch is { } branch && !IsRef(branch) ? Error("--default-branch", branch, "a git branch name of up to 255 characters, e.g. main")
        : Audience is { } audience && (!AwsNames.IsClientId(audience) || audience.Trim() != audience) ? Error("--audience", audience, "1 to 255 printable characters without leading or trailing spaces, e.g. sts.amazonaws.com")
        : AwsAccount is { } account && !AwsNames.IsAccount(account) ? Error("--aws-account", account, "the 12-digit AWS account ID, e.g. 111122223333")
        : Region is { } region && !AwsNames.IsRegion(region) ? Error("--region", region, "an AWS Region name such as eu-central-1")
        : Site is { } site && !IsSiteFolder(site) ? Error("--site", site, "a folder inside the repository, named with letters, digits, '.', '_', '-' and '/', e.g. site or docs/public")
        : Component is { } component && ComponentReference.TryParse(component) is null ? Error("--component", component, "a CI/CD component reference HOST/GROUP/PROJECT/deploy@VERSION, e.g. $CI_SERVER_FQDN/acme/keyless/deploy@1.2.3")
        : Environments.Select(EnvironmentProblem).FirstOrDefault(p => p is not null) is { } problem ? ValidationResult.Error(problem)
        : ValidationResult.Success();

    /// <summary>The environments of --env, in order; null when none is given (the defaults apply).</summary>
    public IReadOnlyList<EnvironmentSettings>? EnvironmentSettings() =>
        Environments.Length == 0 ? null : [.. Environments.Select(ParseEnvironment)];

    // A ref is a file under .git/refs, so file systems keep it short; the trust analysis works on its characters.
    private static bool IsRef(string name) => name.Length <= 255 && KeylessConfigParser.IsRefName(name);

    public static bool IsSiteFolder(string value) => SiteFolder().IsMatch(value) && !value.Split('/').Any(part => part is "." or "..");

    private static EnvironmentSettings ParseEnvironment(string value)
    {
        var (name, refs) = (value[..value.IndexOf('=', StringComparison.Ordinal)], value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var expected = refs.Split(',').Select(r => new ExpectedRef(r[..r.IndexOf(':', StringComparison.Ordinal)], r[(r.IndexOf(':', StringComparison.Ordinal) + 1)..])).ToList();
        return new EnvironmentSettings(name, expected, ProtectedOnly: true, Manual: name == "production", null, null, "PriceClass_100", [], null);
    }

    private string? EnvironmentProblem(string value)
    {
        const string example = "NAME=REF[,REF…] with each REF branch:NAME or tag:PATTERN, e.g. staging=branch:main or production=tag:v*";
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return $"--env {OptionChecks.Shown(value)}: expected {example}.";
        }

        var name = value[..equals];
        if (!KeylessConfigParser.IsEnvironmentName(name))
        {
            return $"--env {OptionChecks.Shown(value)}: the name \"{name}\" is not an environment name; expected lower-case letters, digits and dashes, starting with a letter, e.g. staging.";
        }

        if (Environments.Count(e => e.StartsWith(name + "=", StringComparison.Ordinal)) > 1)
        {
            return $"--env {OptionChecks.Shown(value)}: the environment {name} is given twice; give each environment once, with all its refs comma-separated.";
        }

        foreach (var item in value[(equals + 1)..].Split(','))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || item[..colon] is not ("branch" or "tag") || !IsRef(item[(colon + 1)..]))
            {
                return $"--env {OptionChecks.Shown(value)}: the ref \"{OptionChecks.Shown(item)}\" is not one; expected {example}.";
            }
        }

        return null;
    }

    private static ValidationResult Error(string option, string value, string expected) =>
        ValidationResult.Error($"{option} {OptionChecks.Shown(value)}: expected {expected}.");

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*/?$")]
    private static partial Regex SiteFolder();
}

/// <summary>The <c>--aws</c> of init: cloudformation or cdk.</summary>
public sealed class AwsSideFormConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, System.Globalization.CultureInfo? culture, object value) =>
        (value as string)?.ToLowerInvariant() switch
        {
            "cloudformation" => AwsSideForm.CloudFormation,
            "cdk" => AwsSideForm.Cdk,
            _ => throw new Infrastructure.OptionValueException("cloudformation or cdk"),
        };
}
