using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.S3;
using Constructs;
using Keyless.Core.Configuration;
using Keyless.Stack;

namespace Keyless.Cdk;

/// <summary>How one site is served: its bucket name, price class and custom domain.</summary>
public sealed class StaticSiteProps
{
    /// <summary>A short description for the distribution's comment (at most 128 characters).</summary>
    public required string Description { get; init; }

    /// <summary>The bucket's name; CloudFormation generates one when null.</summary>
    public string? BucketName { get; init; }

    public PriceClass PriceClass { get; init; } = PriceClass.PRICE_CLASS_100;

    /// <summary>Custom domain names; they need <see cref="CertificateArn"/>.</summary>
    public IReadOnlyList<string> DomainNames { get; init; } = [];

    /// <summary>An ACM certificate in us-east-1 covering <see cref="DomainNames"/>.</summary>
    public string? CertificateArn { get; init; }
}

/// <summary>
/// A static website: a private, TLS-only, SSE-S3 bucket that only its CloudFront distribution can read
/// (origin access control), served over HTTPS with HTTP/2 and 3, security headers, and <c>/404.html</c>
/// for missing pages. HTML is expected with <c>Cache-Control: no-cache</c>, fingerprinted assets with a long
/// max-age; the cache policy's minimum TTL of 0 lets CloudFront honour both.
/// </summary>
public sealed class StaticSite : Construct
{
    public const string ContentSecurityPolicy = SiteDelivery.ContentSecurityPolicy;

    public const string NotFoundPage = SiteDelivery.NotFoundPage;

    /// <summary>The viewer-request function that serves folder URLs their index page (<see cref="StaticSiteSpec.IndexRewriteCode"/>).</summary>
    public const string IndexRewriteCode = StaticSiteSpec.IndexRewriteCode;

    public StaticSite(Construct scope, string id, StaticSiteProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            BucketName = props.BucketName,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            Encryption = BucketEncryption.S3_MANAGED,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            // Versions let a changed page be written in place and restored by version ID; the rule keeps what releases need.
            Versioned = true,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = StaticSiteSpec.VersionsRuleId,
                    ExpiredObjectDeleteMarker = true,
                    NoncurrentVersionExpiration = Duration.Days(StaticSiteSpec.NoncurrentVersionDays),
                    NoncurrentVersionsToRetain = StaticSiteSpec.NoncurrentVersionsKept,
                },
            ],
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        var cachePolicy = new CachePolicy(this, "CachePolicy", new CachePolicyProps
        {
            Comment = StaticSiteSpec.CachePolicyComment,
            MinTtl = Duration.Seconds(StaticSiteSpec.MinTtlSeconds),
            DefaultTtl = Duration.Seconds(StaticSiteSpec.DefaultTtlSeconds),
            MaxTtl = Duration.Seconds(StaticSiteSpec.MaxTtlSeconds),
            CookieBehavior = CacheCookieBehavior.None(),
            HeaderBehavior = CacheHeaderBehavior.None(),
            QueryStringBehavior = CacheQueryStringBehavior.None(),
            EnableAcceptEncodingGzip = true,
            EnableAcceptEncodingBrotli = true,
        });

        var headers = new ResponseHeadersPolicy(this, "SecurityHeaders", new ResponseHeadersPolicyProps
        {
            Comment = StaticSiteSpec.HeadersPolicyComment,
            SecurityHeadersBehavior = new ResponseSecurityHeadersBehavior
            {
                StrictTransportSecurity = new ResponseHeadersStrictTransportSecurity
                {
                    AccessControlMaxAge = Duration.Seconds(SiteDelivery.HstsMaxAgeSeconds),
                    IncludeSubdomains = true,
                    Preload = true,
                    Override = true,
                },
                ContentSecurityPolicy = new ResponseHeadersContentSecurityPolicy { ContentSecurityPolicy = ContentSecurityPolicy, Override = true },
                ContentTypeOptions = new ResponseHeadersContentTypeOptions { Override = true },
                FrameOptions = new ResponseHeadersFrameOptions { FrameOption = HeadersFrameOption.DENY, Override = true },
                ReferrerPolicy = new ResponseHeadersReferrerPolicy { ReferrerPolicy = HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, Override = true },
            },
        });

        var indexRewrite = new Amazon.CDK.AWS.CloudFront.Function(this, "IndexRewrite", new FunctionProps
        {
            Comment = StaticSiteSpec.IndexRewriteComment,
            Code = FunctionCode.FromInline(IndexRewriteCode),
            Runtime = FunctionRuntime.JS_2_0,
        });

        var customDomain = props.DomainNames.Count > 0;
        Distribution = new Distribution(this, "Distribution", new DistributionProps
        {
            Comment = props.Description.Length <= 128 ? props.Description : props.Description[..128],
            DefaultBehavior = new BehaviorOptions
            {
                Origin = S3BucketOrigin.WithOriginAccessControl(Bucket),
                ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                AllowedMethods = AllowedMethods.ALLOW_GET_HEAD,
                CachePolicy = cachePolicy,
                ResponseHeadersPolicy = headers,
                Compress = true,
                FunctionAssociations = [new FunctionAssociation { Function = indexRewrite, EventType = FunctionEventType.VIEWER_REQUEST }],
            },
            DefaultRootObject = SiteDelivery.DefaultRootObject,
            ErrorResponses = [.. StaticSiteSpec.NotFoundStatuses.Select(NotFound)],
            HttpVersion = HttpVersion.HTTP2_AND_3,
            PriceClass = props.PriceClass,
            DomainNames = customDomain ? [.. props.DomainNames] : null,
            Certificate = customDomain && props.CertificateArn is { } arn ? Certificate.FromCertificateArn(this, "Certificate", arn) : null,
            MinimumProtocolVersion = customDomain ? SecurityPolicyProtocol.TLS_V1_2_2021 : null,
        });

        Url = customDomain ? $"https://{props.DomainNames[0]}" : $"https://{Distribution.DistributionDomainName}";
    }

    public Bucket Bucket { get; }

    public Distribution Distribution { get; }

    /// <summary>Where the site is served: its first custom domain, else the distribution's domain.</summary>
    public string Url { get; }

    private static ErrorResponse NotFound(int status) => new()
    {
        HttpStatus = status,
        ResponseHttpStatus = 404,
        ResponsePagePath = NotFoundPage,
        Ttl = Duration.Seconds(StaticSiteSpec.ErrorCachingSeconds),
    };
}
