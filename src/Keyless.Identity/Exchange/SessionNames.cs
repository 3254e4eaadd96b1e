using System.Globalization;
using System.Text;
using Keyless.Core;
using Keyless.Trust.Evaluation;

namespace Keyless.Identity.Exchange;

/// <summary>
/// RoleSessionName for a job: <c>gitlab-&lt;project_id&gt;-&lt;pipeline_id&gt;-&lt;job_id&gt;</c>, so CloudTrail's
/// <c>assumed-role/ROLE/SESSION</c> leads back to the job. AWS allows 2–64 characters of <c>[\w+=,.@-]</c>.
/// Source: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
/// </summary>
public static class SessionNames
{
    public const int MinLength = 2;
    public const int MaxLength = 64;

    /// <summary>
    /// From the token's <c>project_id</c>, <c>pipeline_id</c> and <c>job_id</c> claims, each falling back to
    /// <c>CI_PROJECT_ID</c>, <c>CI_PIPELINE_ID</c>, <c>CI_JOB_ID</c>; <c>keyless-&lt;unix time&gt;</c> when one is missing from both.
    /// </summary>
    public static string ForJob(TokenClaims? claims, IEnvironment environment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Part(string claim, string variable) =>
            EnvironmentNames.NonEmpty(claims?.Single(claim)) ?? EnvironmentNames.NonEmpty(environment.Variable(variable));

        var project = Part("project_id", EnvironmentNames.CiProjectId);
        var pipeline = Part("pipeline_id", EnvironmentNames.CiPipelineId);
        var job = Part("job_id", EnvironmentNames.CiJobId);
        return Sanitise(project is not null && pipeline is not null && job is not null
            ? $"gitlab-{project}-{pipeline}-{job}"
            : string.Create(CultureInfo.InvariantCulture, $"keyless-{now.ToUnixTimeSeconds()}"));
    }

    /// <summary>Makes any text a valid RoleSessionName: other characters become <c>-</c>, at most 64, at least 2.</summary>
    public static string Sanitise(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(Math.Min(name.Length, MaxLength));
        foreach (var c in name)
        {
            if (builder.Length == MaxLength)
            {
                break;
            }

            builder.Append(IsAllowed(c) ? c : '-');
        }

        while (builder.Length < MinLength)
        {
            builder.Append('-');
        }

        return builder.ToString();
    }

    // AWS's \w is taken as ASCII, as the STS simulator does.
    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or ',' or '.' or '@' or '-';
}
