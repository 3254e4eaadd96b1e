using Amazon.CDK.Assertions;
using Keyless.Cdk;
using Keyless.Stack;

namespace Keyless.Infrastructure.Tests;

/// <summary>What the stack contains: one provider, and per environment a private bucket, its distribution and a deploy role.</summary>
[Collection(SynthesizedStacksDefinition.Name)]
public sealed class ResourceTests(SynthesizedStacks stacks)
{
    // An array argument built at the call site (CA1861 objects to constant array literals).
    private static object[] Of(params object[] items) => items;

    private static Dictionary<string, object> Props(params (string Key, object Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    [Fact]
    public void Should_HoldExactlyTheSiteAndRoleResources_When_ConfigHasTwoEnvironments()
    {
        // Given
        var template = stacks.Repo.Template;

        // Then: per environment a bucket (+ policy), OAC, cache and headers policies, the index rewrite, a distribution and a role
        var expected = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["AWS::IAM::OIDCProvider"] = 1,
            ["AWS::S3::Bucket"] = 2,
            ["AWS::S3::BucketPolicy"] = 2,
            ["AWS::CloudFront::OriginAccessControl"] = 2,
            ["AWS::CloudFront::CachePolicy"] = 2,
            ["AWS::CloudFront::ResponseHeadersPolicy"] = 2,
            ["AWS::CloudFront::Distribution"] = 2,
            ["AWS::CloudFront::Function"] = 2,
            ["AWS::IAM::Role"] = 2,
        };
        foreach (var (type, count) in expected)
        {
            template.ResourceCountIs(type, count);
        }

        var types = stacks.Repo.ResourceMap.Select(r => (string)r.Value!["Type"]!).Distinct();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), types.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_RewriteFolderUrlsToTheirIndexPage_When_ViewerRequestsArrive()
    {
        var template = stacks.Repo.Template;

        template.AllResourcesProperties("AWS::CloudFront::Function", Props(("FunctionCode", StaticSite.IndexRewriteCode), ("AutoPublish", true)));
        template.AllResourcesProperties("AWS::CloudFront::Distribution", Props(("DistributionConfig", Props(("DefaultCacheBehavior", Props(
            ("FunctionAssociations", new[] { Props(("EventType", "viewer-request")) })))))));
    }

    [Fact]
    public void Should_RegisterTheInstanceWithTheAudienceAndNoThumbprint_When_InstanceIsGitLabCom()
    {
        stacks.Repo.Template.HasResource("AWS::IAM::OIDCProvider", Props(
            ("Properties", Props(
                ("Url", "https://gitlab.com"),
                ("ClientIdList", Of("sts.amazonaws.com")),
                ("ThumbprintList", Match.Absent()))),
            ("DeletionPolicy", "Retain"),
            ("UpdateReplacePolicy", "Retain")));
    }

    [Fact]
    public void Should_ListThumbprints_When_ConfigNamesThem()
    {
        stacks.SelfManaged.Template.HasResourceProperties("AWS::IAM::OIDCProvider", Props(
            ("Url", "https://gitlab.example.com"),
            ("ThumbprintList", Of("9e99a48a9960b14926bb7f3b02e22da2b0ab7280"))));
    }

    [Fact]
    public void Should_CreateNoProvider_When_AccountAlreadyHasOne()
    {
        stacks.Imported.Template.ResourceCountIs("AWS::IAM::OIDCProvider", 0);
        stacks.Imported.Template.HasOutput("OidcProviderArn", Props(("Value", "arn:aws:iam::111122223333:oidc-provider/gitlab.com")));
    }

    [Fact]
    public void Should_KeepEveryBucketPrivateEncryptedAndRetained_When_Synthesized()
    {
        var template = stacks.Repo.Template;

        template.AllResources("AWS::S3::Bucket", Props(
            ("Properties", Props(
                ("PublicAccessBlockConfiguration", Props(("BlockPublicAcls", true), ("BlockPublicPolicy", true), ("IgnorePublicAcls", true), ("RestrictPublicBuckets", true))),
                ("BucketEncryption", Props(("ServerSideEncryptionConfiguration", new[] { Props(("ServerSideEncryptionByDefault", Props(("SSEAlgorithm", "AES256")))) }))),
                ("OwnershipControls", Props(("Rules", new[] { Props(("ObjectOwnership", "BucketOwnerEnforced")) }))),
                ("VersioningConfiguration", Props(("Status", "Enabled"))),
                ("LifecycleConfiguration", Props(("Rules", new[]
                {
                    Props(
                        ("Id", StaticSiteSpec.VersionsRuleId),
                        ("Status", "Enabled"),
                        ("ExpiredObjectDeleteMarker", true),
                        ("NoncurrentVersionExpiration", Props(("NoncurrentDays", 30), ("NewerNoncurrentVersions", 10)))),
                }))),
                ("AccessControl", Match.Absent()),
                ("WebsiteConfiguration", Match.Absent()))),
            ("DeletionPolicy", "Retain")));
    }

    [Fact]
    public void Should_DenyPlainHttpAndAllowOnlyItsDistribution_When_BucketPolicyIsSynthesized()
    {
        var site = stacks.Repo.Environment("staging").Site;
        var bucket = stacks.Repo.LogicalId(site.Bucket);
        var distribution = stacks.Repo.LogicalId(site.Distribution);

        stacks.Repo.Template.HasResourceProperties("AWS::S3::BucketPolicy", Props(
            ("Bucket", Props(("Ref", bucket))),
            ("PolicyDocument", Props(("Statement", Match.ArrayWith(new object[]
            {
                Match.ObjectLike(Props(
                    ("Effect", "Deny"), ("Action", "s3:*"), ("Principal", Props(("AWS", "*"))),
                    ("Condition", Props(("Bool", Props(("aws:SecureTransport", "false"))))))),
                Match.ObjectLike(Props(("Effect", "Allow"), ("Action", "s3:GetObject"), ("Principal", Props(("Service", "cloudfront.amazonaws.com"))))),
            }))))));

        // The CloudFront statement is conditioned on this distribution's ARN, not any distribution's.
        var (_, policy) = Assert.Single(stacks.Repo.OfType("AWS::S3::BucketPolicy"), p => p.Resource["Properties"]!["Bucket"]!["Ref"]!.ToString() == bucket);
        var cloudFront = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Single(s => s!["Principal"]!["Service"] is not null)!;
        Assert.Contains($"{{\"Ref\":\"{distribution}\"}}", cloudFront["Condition"]!["StringEquals"]!["AWS:SourceArn"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReachTheBucketThroughOriginAccessControl_When_Synthesized()
    {
        var template = stacks.Repo.Template;

        template.ResourceCountIs("AWS::CloudFront::CloudFrontOriginAccessIdentity", 0);
        template.AllResourcesProperties("AWS::CloudFront::OriginAccessControl", Props(("OriginAccessControlConfig", Props(
            ("OriginAccessControlOriginType", "s3"), ("SigningBehavior", "always"), ("SigningProtocol", "sigv4")))));
        template.AllResourcesProperties("AWS::CloudFront::Distribution", Props(("DistributionConfig", Props(("Origins", new[]
        {
            Match.ObjectLike(Props(
                ("OriginAccessControlId", Props(("Fn::GetAtt", Match.ArrayWith(Of("Id"))))),
                ("S3OriginConfig", Props(("OriginAccessIdentity", ""))),
                ("CustomOriginConfig", Match.Absent()))),
        })))));
    }

    [Fact]
    public void Should_ServeHttpsWithIndexAnd404Page_When_DistributionIsSynthesized()
    {
        var notFound = new Func<int, Dictionary<string, object>>(code => Props(("ErrorCode", code), ("ResponseCode", 404), ("ResponsePagePath", "/404.html")));

        stacks.Repo.Template.AllResourcesProperties("AWS::CloudFront::Distribution", Props(("DistributionConfig", Props(
            ("DefaultRootObject", "index.html"),
            ("HttpVersion", "http2and3"),
            ("PriceClass", "PriceClass_100"),
            ("Enabled", true),
            ("CustomErrorResponses", new object[] { Match.ObjectLike(notFound(403)), Match.ObjectLike(notFound(404)) }),
            ("DefaultCacheBehavior", Props(
                ("ViewerProtocolPolicy", "redirect-to-https"),
                ("AllowedMethods", Of("GET", "HEAD")),
                ("Compress", true),
                ("CachePolicyId", Props(("Ref", Match.AnyValue()))),
                ("ResponseHeadersPolicyId", Props(("Ref", Match.AnyValue()))))),
            ("Aliases", Match.Absent()),
            ("ViewerCertificate", Match.Absent())))));
    }

    [Fact]
    public void Should_RevalidateNoCacheHtml_When_CachePolicyIsSynthesized()
    {
        // A minimum TTL above 0 would keep no-cache HTML at the edge that long (managed CachingOptimized has 1 s).
        stacks.Repo.Template.AllResourcesProperties("AWS::CloudFront::CachePolicy", Props(("CachePolicyConfig", Props(
            ("MinTTL", 0),
            ("ParametersInCacheKeyAndForwardedToOrigin", Props(
                ("CookiesConfig", Props(("CookieBehavior", "none"))),
                ("HeadersConfig", Props(("HeaderBehavior", "none"))),
                ("QueryStringsConfig", Props(("QueryStringBehavior", "none"))),
                ("EnableAcceptEncodingGzip", true),
                ("EnableAcceptEncodingBrotli", true)))))));
    }

    [Fact]
    public void Should_SendTheSecurityHeaders_When_ResponseHeadersPolicyIsSynthesized()
    {
        stacks.Repo.Template.AllResourcesProperties("AWS::CloudFront::ResponseHeadersPolicy", Props(("ResponseHeadersPolicyConfig", Props(("SecurityHeadersConfig", Props(
            ("StrictTransportSecurity", Props(("AccessControlMaxAgeSec", 63_072_000), ("IncludeSubdomains", true), ("Preload", true), ("Override", true))),
            ("ContentSecurityPolicy", Props(
                ("ContentSecurityPolicy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
                ("Override", true))),
            ("ContentTypeOptions", Props(("Override", true))),
            ("FrameOptions", Props(("FrameOption", "DENY"), ("Override", true))),
            ("ReferrerPolicy", Props(("ReferrerPolicy", "strict-origin-when-cross-origin"), ("Override", true)))))))));
    }

    [Fact]
    public void Should_ServeTheCustomDomainWithItsCertificate_When_ConfigNamesOne()
    {
        var template = stacks.SelfManaged.Template;

        template.HasResourceProperties("AWS::CloudFront::Distribution", Props(("DistributionConfig", Props(
            ("Aliases", Of("www.example.com")),
            ("PriceClass", "PriceClass_All"),
            ("ViewerCertificate", Props(
                ("AcmCertificateArn", "arn:aws:acm:us-east-1:444455556666:certificate/0c3a8f2e-5f1b-4a7e-9d2c-6b1e2f3a4b5c"),
                ("SslSupportMethod", "sni-only"),
                ("MinimumProtocolVersion", "TLSv1.2_2021")))))));
        template.HasResourceProperties("AWS::S3::Bucket", Props(("BucketName", "platform-site-staging")));
        template.HasOutput("ProductionUrl", Props(("Value", "https://www.example.com")));
    }

    [Fact]
    public void Should_OutputRoleBucketDistributionAndUrlPerEnvironment_When_Synthesized()
    {
        var outputs = stacks.Repo.Json["Outputs"]!.AsObject().Select(o => o.Key).Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "OidcProviderArn",
                "ProductionBucketName", "ProductionDistributionId", "ProductionRoleArn", "ProductionUrl",
                "StagingBucketName", "StagingDistributionId", "StagingRoleArn", "StagingUrl",
            ],
            outputs);
        var staging = stacks.Repo.Environment("staging");
        stacks.Repo.Template.HasOutput("StagingRoleArn", Props(("Value", Props(("Fn::GetAtt", new[] { stacks.Repo.LogicalId(staging.Role.Role), "Arn" })))));
        stacks.Repo.Template.HasOutput("StagingDistributionId", Props(("Value", Props(("Ref", stacks.Repo.LogicalId(staging.Site.Distribution))))));
        stacks.Repo.Template.HasOutput("StagingBucketName", Props(("Value", Props(("Ref", stacks.Repo.LogicalId(staging.Site.Bucket))))));
        stacks.Repo.Template.HasOutput("OidcProviderArn", Props(("Value", Props(("Fn::GetAtt", new[] { stacks.Repo.LogicalId(stacks.Repo.Stack.Provider), "Arn" })))));
    }

    [Fact]
    public void Should_NameTheStackAfterTheProjectInTheConfiguredAccount_When_Synthesized()
    {
        var stack = stacks.Repo.Stack;

        Assert.Equal("Keyless-keyless-demo-website", stack.StackName);
        Assert.Equal("111122223333", stack.Account);
        Assert.Equal("eu-central-1", stack.Region);
    }
}
