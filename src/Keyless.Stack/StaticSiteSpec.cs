using Keyless.Core.Configuration;

namespace Keyless.Stack;

/// <summary>
/// How a static site is served, as values: the CDK construct <c>StaticSite</c> and <see cref="CloudFormationTemplate"/>
/// both build the bucket, the cache and headers policies, the index function and the distribution from them.
/// </summary>
public static class StaticSiteSpec
{
    public const string CachePolicyComment = "Keyless: honour the origin's Cache-Control; no cookies, headers or query strings in the key";

    // Managed CachingOptimized has a minimum TTL of 1 s, which caches even no-cache HTML for a second;
    // with 0, CloudFront revalidates no-cache HTML on every request and keeps max-age assets as long as they say.
    public const int MinTtlSeconds = 0;

    public const int DefaultTtlSeconds = 24 * 3600;

    public const int MaxTtlSeconds = 365 * 24 * 3600;

    public const string HeadersPolicyComment = "Keyless: HSTS, CSP, nosniff, DENY framing, strict-origin-when-cross-origin";

    public const string FrameOption = "DENY";

    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    public const string IndexRewriteComment = "Keyless: serve index.html for folder URLs";

    public const string FunctionRuntime = "cloudfront-js-2.0";

    /// <summary>
    /// The viewer-request function that gives sub-folders their index page, which an S3 REST origin with
    /// OAC does not do by itself: <c>/docs/</c> and <c>/docs</c> are served from <c>/docs/index.html</c>;
    /// and that never serves the deployer's records under <c>/.keyless/</c>.
    /// The local cloud's CloudFront stand-in applies the same rule (<see cref="SiteDelivery.RewriteFolderUri"/>).
    /// </summary>
    public const string IndexRewriteCode = """
        function handler(event) {
          var request = event.request;
          var uri = request.uri;
          if (uri.startsWith('/.keyless/')) {
            return { statusCode: 404, statusDescription: 'Not Found' };
          }
          if (uri.endsWith('/')) {
            request.uri = uri + 'index.html';
          } else if (uri.split('/').pop().indexOf('.') === -1) {
            request.uri = uri + '/index.html';
          }
          return request;
        }
        """;

    /// <summary>Without s3:ListBucket for CloudFront a missing key is a 403, not a 404: both are "not found".</summary>
    public static IReadOnlyList<int> NotFoundStatuses { get; } = [403, 404];

    public const int ErrorCachingSeconds = 10;

    /// <summary>The lifecycle rule's id on the versioned site bucket.</summary>
    public const string VersionsRuleId = "ExpireOldVersions";

    /// <summary>
    /// A replaced or deleted object version is kept while it is one of this many newest noncurrent versions of its key,
    /// whatever its age. A deploy or rollback that changes a page adds one noncurrent version of it, a failed deploy
    /// two: ten keeps the versions the retained releases (two by default) and a few rollbacks name, with room.
    /// </summary>
    public const int NoncurrentVersionsKept = 10;

    /// <summary>…and, whatever their number, for this many days after it stopped being current.</summary>
    public const int NoncurrentVersionDays = 30;

    /// <summary>The oldest TLS a custom domain accepts; the distribution's own domain is fixed at TLS 1.2 by CloudFront.</summary>
    public const string CustomDomainMinimumProtocol = "TLSv1.2_2021";

    /// <summary>The distribution's comment: at most 128 characters.</summary>
    public static string Comment(KeylessConfig config, EnvironmentSettings environment)
    {
        var comment = $"Keyless {config.GitLab.Project} {environment.Name}";
        return comment.Length <= 128 ? comment : comment[..128];
    }

    /// <summary>The configured price class, or the cheapest (North America and Europe) for anything else.</summary>
    public static string PriceClass(EnvironmentSettings environment) =>
        environment.PriceClass is "PriceClass_All" or "PriceClass_200" ? environment.PriceClass : "PriceClass_100";
}
