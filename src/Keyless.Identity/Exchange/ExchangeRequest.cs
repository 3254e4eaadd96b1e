namespace Keyless.Identity.Exchange;

/// <summary>A role's trust policy at hand, as text: any shape <see cref="Keyless.Trust.Policies.TrustDocuments"/> reads.</summary>
/// <param name="Source">Where it came from (a path), for messages.</param>
/// <param name="Json">The document's text.</param>
/// <param name="RoleName">Which role of a document with several; defaults to the only one, or the one named like the role ARN.</param>
public sealed record TrustPolicyText(string Source, string Json, string? RoleName = null);

/// <summary>What to exchange the job's token for. Everything left out comes from the environment or a default.</summary>
public sealed record ExchangeRequest
{
    public const int DefaultDurationSeconds = 900;
    public const int MinDurationSeconds = 900;
    public const int MaxDurationSeconds = 43_200;

    /// <summary>The role to assume; <c>AWS_ROLE_ARN</c> when null.</summary>
    public string? RoleArn { get; init; }

    /// <summary>The variable that holds the ID token; <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> is read when it is unset.</summary>
    public string TokenVariable { get; init; } = EnvironmentNames.IdToken;

    public int DurationSeconds { get; init; } = DefaultDurationSeconds;

    /// <summary>The session name; <c>AWS_ROLE_SESSION_NAME</c>, else <c>gitlab-&lt;project&gt;-&lt;pipeline&gt;-&lt;job&gt;</c> when null.</summary>
    public string? RoleSessionName { get; init; }

    /// <summary>The role's trust policy, for explaining an AccessDenied locally; optional.</summary>
    public TrustPolicyText? Policy { get; init; }
}
