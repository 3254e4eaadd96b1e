using Keyless.Core.Configuration;
using Keyless.Trust.Policies;

namespace Keyless.Stack;

/// <summary>One Allow statement of a deploy role's permissions; <typeparamref name="T"/> is how the rendering writes an ARN.</summary>
public sealed record AllowStatement<T>(string Sid, IReadOnlyList<string> Actions, T Resource);

/// <summary>
/// A deploy role apart from its trust policy (which is <see cref="Trust.DeployTrustPolicy"/>): its description,
/// session length, tag and the actions it may take, for the CDK construct and the template alike.
/// </summary>
public static class DeployRoleSpec
{
    /// <summary>The tag that names the role's environment; <c>keyless trust check</c> maps roles to environments by it.</summary>
    public const string EnvironmentTag = RoleTrust.EnvironmentTag;

    public const string AssumeAction = "sts:AssumeRoleWithWebIdentity";

    public const string PolicyName = "KeylessDeploy";

    public const int MaxSessionSeconds = 3600;

    public static string Description(KeylessConfig config, EnvironmentSettings environment) =>
        $"Keyless: GitLab CI/CD jobs of {config.GitLab.Project} on {string.Join(", ", environment.Refs)} deploy the {environment.Name} site.";

    /// <summary>
    /// List the bucket; read, write and delete its objects, and read their earlier versions (a rollback or a failed
    /// deploy copies a page back from the version its release recorded); create and read invalidations of the
    /// distribution. No s3:DeleteObjectVersion: a delete only hides an object behind a delete marker, so whoever holds
    /// the role cannot destroy what the bucket keeps. Written out rather than CDK's Bucket.Grant*, which add wildcard actions such as s3:Abort* and s3:GetObject*.
    /// </summary>
    public static IReadOnlyList<AllowStatement<T>> Permissions<T>(T bucketArn, T objectsArn, T distributionArn) =>
    [
        new("ListSite", ["s3:ListBucket"], bucketArn),
        new("WriteSite", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"], objectsArn),
        new("InvalidateSite", ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"], distributionArn),
    ];
}
