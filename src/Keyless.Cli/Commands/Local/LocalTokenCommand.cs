using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Local.Issuer;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Local;

public sealed class LocalTokenSettings : StateSettings
{
    [CommandOption("--project <GROUP/PROJECT>")]
    [Description("The project path (subgroups allowed), as in project_path.")]
    public string? Project { get; init; }

    [CommandOption("--ref <REF>")]
    [Description("The branch or tag name, as in ref (without refs/heads/).")]
    public string? Ref { get; init; }

    [CommandOption("--ref-type <TYPE>")]
    [Description("branch or tag.")]
    public string? RefType { get; init; }

    [CommandOption("--aud <AUD>")]
    [Description("The token's audience, as the job's id_tokens sets it (e.g. sts.amazonaws.com).")]
    public string? Audience { get; init; }

    [CommandOption("--project-id <ID>")]
    [Description("project_id (and job_project_id). Defaults to a stable id derived from the project path.")]
    public string? ProjectId { get; init; }

    [CommandOption("--namespace-id <ID>")]
    [Description("namespace_id (and job_namespace_id). Defaults to a stable id derived from the namespace path.")]
    public string? NamespaceId { get; init; }

    [CommandOption("--environment <NAME>")]
    [Description("The job's environment; adds environment, environment_protected, deployment_tier and environment_action.")]
    public string? Environment { get; init; }

    [CommandOption("--protected <BOOL>")]
    [Description("ref_protected: true or false.")]
    [DefaultValue("false")]
    public string Protected { get; init; } = "false";

    [CommandOption("--pipeline-source <SOURCE>")]
    [Description("pipeline_source: push, merge_request_event, schedule, web, …")]
    [DefaultValue("push")]
    public string PipelineSource { get; init; } = "push";

    [CommandOption("--ttl <SECONDS>")]
    [Description("Lifetime: exp = iat + SECONDS.")]
    [DefaultValue(3600)]
    public int Ttl { get; init; } = 3600;

    [CommandOption("--issuer <URL>")]
    [Description("The iss to write. Defaults to the running local issuer's URL (from the state folder).")]
    public string? Issuer { get; init; }

    [CommandOption("--now <UNIX_SECONDS>")]
    [Description("Mint as of this time (iat) instead of the clock.")]
    public long? Now { get; init; }

    public override ValidationResult Validate() =>
        Project is null ? ValidationResult.Error("--project GROUP/PROJECT is required, e.g. --project acme/website.")
        : Ref is null ? ValidationResult.Error("--ref REF is required: the branch or tag name, e.g. --ref main.")
        : RefType is not ("branch" or "tag") ? ValidationResult.Error($"--ref-type {RefType ?? "(missing)"}: expected branch or tag.")
        : Audience is null ? ValidationResult.Error("--aud AUD is required: the audience the job's id_tokens sets, e.g. --aud sts.amazonaws.com.")
        : Audience.Length > 255 || Audience.Any(char.IsControl) ? ValidationResult.Error($"--aud: expected 1 to 255 printable characters, as an IAM OIDC provider's client ID has (got {Audience.Length}).")
        : Protected is not ("true" or "false") ? ValidationResult.Error($"--protected {Protected}: expected true or false.")
        : Ttl < 1 ? ValidationResult.Error($"--ttl {Ttl}: expected the token's lifetime in seconds, at least 1 (GitLab's tokens last 3600 by default).")
        : UnixTime.Validate(Now) is { Successful: false } now ? now
        : IdProblem("--project-id", ProjectId) ?? IdProblem("--namespace-id", NamespaceId) ?? ValidationResult.Success();

    // GitLab's ids are numbers, written in the token as strings of digits (as keyless.json's projectId).
    private static ValidationResult? IdProblem(string option, string? value) =>
        value is null || GitLabId.IsValid(value)
            ? null
            : ValidationResult.Error($"{option} {OptionChecks.Shown(value)}: expected GitLab's numeric ID, {GitLabId.Expected}, such as {option} 61425730.");
}

/// <summary><c>keyless local token</c>: a GitLab-shaped ID token signed by the local issuer's key; prints the token alone.</summary>
public sealed class LocalTokenCommand(IAnsiConsole console, KeylessServices services) : Command<LocalTokenSettings>
{
    public override int Execute(CommandContext context, LocalTokenSettings settings, CancellationToken cancellationToken)
    {
        var directory = LocalState.IssuerDirectory(services.StateRoot(settings.State));
        var running = settings.Issuer is null ? IssuerRecord.FindRunning(directory) : null;
        var request = new MintRequest(settings.Issuer ?? running!.Url, settings.Project!, settings.Ref!, settings.RefType == "tag" ? RefType.Tag : RefType.Branch, settings.Audience!)
        {
            Environment = settings.Environment,
            RefProtected = settings.Protected == "true",
            PipelineSource = settings.PipelineSource,
            Lifetime = TimeSpan.FromSeconds(settings.Ttl),
            ProjectId = settings.ProjectId,
            NamespaceId = settings.NamespaceId,
        };

        // Refuse a bad request before a key is made for it.
        LocalTokenMinter.Validate(request);
        using var key = IssuerKey.LoadOrCreate(directory);
        if (running is not null && running.KeyId != key.KeyId)
        {
            throw KeylessException.Input($"The running local issuer ({running.Url}) publishes key {running.KeyId}, but {directory} now holds key {key.KeyId}. Restart `keyless local issuer`.");
        }

        var token = new LocalTokenMinter(key, services.Clock(settings.Now)).Mint(request);

        // The token alone, unwrapped, so that TOKEN=$(keyless local token …) works.
        console.Profile.Out.Writer.WriteLine(token);
        return ExitCodes.Success;
    }
}
