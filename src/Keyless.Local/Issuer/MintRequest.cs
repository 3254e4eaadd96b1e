namespace Keyless.Local.Issuer;

/// <summary>GitLab's two ref types.</summary>
public enum RefType
{
    Branch,
    Tag,
}

/// <summary>
/// What a local token says about its job. Everything not given gets GitLab-like values; ids are derived from
/// the project path (and user login), so one project always has the same project_id and namespace_id.
/// </summary>
public sealed record MintRequest(string Issuer, string ProjectPath, string Ref, RefType RefType, string Audience)
{
    /// <summary>GitLab's default when the job has no timeout is 5 minutes; its samples show an hour (a job timeout).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    public TimeSpan Lifetime { get; init; } = DefaultLifetime;

    /// <summary>ref_protected ("true"/"false" in the token).</summary>
    public bool RefProtected { get; init; }

    public string PipelineSource { get; init; } = "push";

    /// <summary>The job's environment; environment_* and deployment_tier claims appear only when it is set.</summary>
    public string? Environment { get; init; }

    public bool EnvironmentProtected { get; init; }

    /// <summary>Defaults to GitLab's guess from the environment name.</summary>
    public string? DeploymentTier { get; init; }

    public string EnvironmentAction { get; init; } = "start";

    public string? ProjectId { get; init; }

    public string? NamespaceId { get; init; }

    public string UserLogin { get; init; } = "keyless-local";

    public string? UserId { get; init; }

    public string? UserEmail { get; init; }

    public string UserAccessLevel { get; init; } = "maintainer";

    public string? PipelineId { get; init; }

    public string? JobId { get; init; }

    public long? RunnerId { get; init; }

    public string RunnerEnvironment { get; init; } = "self-hosted";

    public string ProjectVisibility { get; init; } = "private";

    public string? Sha { get; init; }

    public string? Jti { get; init; }
}
