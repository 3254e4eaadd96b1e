using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.S3;
using Constructs;
using Keyless.Core.Configuration;

namespace Keyless.Infrastructure;

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
            Versioned = false,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // Managed CachingOptimized has a minimum TTL of 1 s, which caches even no-cache HTML for a second;
        // with 0, CloudFront revalidates no-cache HTML on every request and keeps max-age assets as long as they say.
        var cachePolicy = new CachePolicy(this, "CachePolicy", new CachePolicyProps
        {
            Comment = "Keyless: honour the origin's Cache-Control; no cookies, headers or query strings in the key",
            MinTtl = Duration.Seconds(0),
            DefaultTtl = Duration.Days(1),
            MaxTtl = Duration.Days(365),
            CookieBehavior = CacheCookieBehavior.None(),
            HeaderBehavior = CacheHeaderBehavior.None(),
            QueryStringBehavior = CacheQueryStringBehavior.None(),
            EnableAcceptEncodingGzip = true,
            EnableAcceptEncodingBrotli = true,
        });

        var headers = new ResponseHeadersPolicy(this, "SecurityHeaders", new ResponseHeadersPolicyProps
        {
            Comment = "Keyless: HSTS, CSP, nosniff, DENY framing, strict-origin-when-cross-origin",
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
            Comment = "Keyless: serve index.html for folder URLs",
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
            // Without s3:ListBucket for CloudFront a missing key is a 403, not a 404: both are "not found".
            ErrorResponses = [NotFound(403), NotFound(404)],
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
        Ttl = Duration.Seconds(10),
    };
}
