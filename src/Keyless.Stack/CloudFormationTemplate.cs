using System.Text.Json;
using System.Text.Json.Nodes;
using Keyless.Core.Configuration;
using Keyless.Trust;

namespace Keyless.Stack;

/// <summary>
/// The whole AWS side of a project as one CloudFormation template, from keyless.json: what the CDK app's
/// <c>KeylessStack</c> synthesizes, with the same logical IDs less CDK's hash suffixes, and nothing that needs
/// CDK bootstrap (no assets, no custom resources, no bootstrap-version parameter), so
/// <c>aws cloudformation deploy</c> or the console can create it as it is.
/// </summary>
public static class CloudFormationTemplate
{
    public const string ProviderId = "GitLabOidcProvider";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The template's JSON text.</summary>
    /// <param name="config">The project config, already checked (<c>ExpectationOverlap.VerifyDisjoint</c>).</param>
    /// <param name="existingProviderArn">The account's provider for the instance (see <see cref="ExistingProvider.Check"/>); null creates one.</param>
    public static string For(KeylessConfig config, string? existingProviderArn = null) =>
        Build(config, existingProviderArn).ToJsonString(Indented) + "\n";

    /// <summary>The template as a JSON tree.</summary>
    public static JsonObject Build(KeylessConfig config, string? existingProviderArn = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var stack = StackNames.Stack(config.GitLab.Project);
        var resources = new JsonObject();
        var outputs = new JsonObject();

        JsonNode providerArn;
        if (existingProviderArn is null)
        {
            var provider = new JsonObject { ["ClientIdList"] = Strings([config.GitLab.Audience]), ["Url"] = config.GitLab.Url };
            if (config.Thumbprints.Count > 0)
            {
                // IAM trusts the JWKS endpoint's public CA; a thumbprint only matters for a private CA.
                provider["ThumbprintList"] = Strings(config.Thumbprints);
            }

            resources[ProviderId] = Retained("AWS::IAM::OIDCProvider", provider);
            providerArn = Cfn.GetAtt(ProviderId, "Arn");
        }
        else
        {
            providerArn = existingProviderArn;
        }

        outputs[StackSpec.ProviderArnOutput] = Output(StackSpec.ProviderArnDescription(config), providerArn.DeepClone());
        foreach (var environment in config.Environments)
        {
            AddEnvironment(config, environment, stack, providerArn, resources, outputs);
        }

        return new JsonObject
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = StackSpec.Description(config),
            ["Resources"] = resources,
            ["Outputs"] = outputs,
        };
    }

    private static void AddEnvironment(KeylessConfig config, EnvironmentSettings environment, string stack, JsonNode providerArn, JsonObject resources, JsonObject outputs)
    {
        var prefix = StackOutputs.Prefix(environment.Name);
        var (bucket, distribution, role) = ($"{prefix}SiteBucket", $"{prefix}SiteDistribution", $"{prefix}DeployRole");
        var (cachePolicy, headers, function, originAccess) = ($"{prefix}SiteCachePolicy", $"{prefix}SiteSecurityHeaders", $"{prefix}SiteIndexRewrite", $"{prefix}SiteDistributionOrigin1S3OriginAccessControl");
        var objects = Cfn.Join(Cfn.GetAtt(bucket, "Arn"), "/*");

        var bucketProperties = new JsonObject
        {
            ["BucketEncryption"] = new JsonObject { ["ServerSideEncryptionConfiguration"] = new JsonArray(new JsonObject { ["ServerSideEncryptionByDefault"] = new JsonObject { ["SSEAlgorithm"] = "AES256" } }) },
            ["OwnershipControls"] = new JsonObject { ["Rules"] = new JsonArray(new JsonObject { ["ObjectOwnership"] = "BucketOwnerEnforced" }) },
            ["PublicAccessBlockConfiguration"] = new JsonObject { ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true },
            ["VersioningConfiguration"] = new JsonObject { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = new JsonObject
            {
                ["Rules"] = new JsonArray(new JsonObject
                {
                    ["ExpiredObjectDeleteMarker"] = true,
                    ["Id"] = StaticSiteSpec.VersionsRuleId,
                    ["NoncurrentVersionExpiration"] = new JsonObject { ["NewerNoncurrentVersions"] = StaticSiteSpec.NoncurrentVersionsKept, ["NoncurrentDays"] = StaticSiteSpec.NoncurrentVersionDays },
                    ["Status"] = "Enabled",
                }),
            },
        };
        if (environment.Bucket is { } bucketName)
        {
            bucketProperties["BucketName"] = bucketName;
        }

        resources[bucket] = Retained("AWS::S3::Bucket", bucketProperties);
        resources[$"{prefix}SiteBucketPolicy"] = Resource("AWS::S3::BucketPolicy", new JsonObject
        {
            ["Bucket"] = Cfn.Ref(bucket),
            ["PolicyDocument"] = Policy(
                new JsonObject
                {
                    ["Action"] = "s3:*",
                    ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
                    ["Effect"] = "Deny",
                    ["Principal"] = new JsonObject { ["AWS"] = "*" },
                    ["Resource"] = new JsonArray(Cfn.GetAtt(bucket, "Arn"), objects.DeepClone()),
                },
                new JsonObject
                {
                    ["Action"] = "s3:GetObject",
                    ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["AWS:SourceArn"] = Cfn.Join("arn:", Cfn.Ref("AWS::Partition"), ":cloudfront::", Cfn.Ref("AWS::AccountId"), ":distribution/", Cfn.Ref(distribution)) } },
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = "cloudfront.amazonaws.com" },
                    ["Resource"] = objects.DeepClone(),
                }),
        });

        resources[cachePolicy] = Resource("AWS::CloudFront::CachePolicy", new JsonObject
        {
            ["CachePolicyConfig"] = new JsonObject
            {
                ["Comment"] = StaticSiteSpec.CachePolicyComment,
                ["DefaultTTL"] = StaticSiteSpec.DefaultTtlSeconds,
                ["MaxTTL"] = StaticSiteSpec.MaxTtlSeconds,
                ["MinTTL"] = StaticSiteSpec.MinTtlSeconds,
                ["Name"] = StackNames.Unique(stack, $"{prefix}Cache", 128),
                ["ParametersInCacheKeyAndForwardedToOrigin"] = new JsonObject
                {
                    ["CookiesConfig"] = new JsonObject { ["CookieBehavior"] = "none" },
                    ["EnableAcceptEncodingBrotli"] = true,
                    ["EnableAcceptEncodingGzip"] = true,
                    ["HeadersConfig"] = new JsonObject { ["HeaderBehavior"] = "none" },
                    ["QueryStringsConfig"] = new JsonObject { ["QueryStringBehavior"] = "none" },
                },
            },
        });

        resources[headers] = Resource("AWS::CloudFront::ResponseHeadersPolicy", new JsonObject
        {
            ["ResponseHeadersPolicyConfig"] = new JsonObject
            {
                ["Comment"] = StaticSiteSpec.HeadersPolicyComment,
                ["Name"] = StackNames.Unique(stack, $"{prefix}Headers", 128),
                ["SecurityHeadersConfig"] = new JsonObject
                {
                    ["ContentSecurityPolicy"] = new JsonObject { ["ContentSecurityPolicy"] = SiteDelivery.ContentSecurityPolicy, ["Override"] = true },
                    ["ContentTypeOptions"] = new JsonObject { ["Override"] = true },
                    ["FrameOptions"] = new JsonObject { ["FrameOption"] = StaticSiteSpec.FrameOption, ["Override"] = true },
                    ["ReferrerPolicy"] = new JsonObject { ["Override"] = true, ["ReferrerPolicy"] = StaticSiteSpec.ReferrerPolicy },
                    ["StrictTransportSecurity"] = new JsonObject { ["AccessControlMaxAgeSec"] = SiteDelivery.HstsMaxAgeSeconds, ["IncludeSubdomains"] = true, ["Override"] = true, ["Preload"] = true },
                },
            },
        });

        resources[function] = Resource("AWS::CloudFront::Function", new JsonObject
        {
            ["AutoPublish"] = true,
            ["FunctionCode"] = StaticSiteSpec.IndexRewriteCode,
            ["FunctionConfig"] = new JsonObject { ["Comment"] = StaticSiteSpec.IndexRewriteComment, ["Runtime"] = StaticSiteSpec.FunctionRuntime },
            ["Name"] = StackNames.Unique(stack, $"{prefix}IndexRewrite", 64),
        });

        resources[originAccess] = Resource("AWS::CloudFront::OriginAccessControl", new JsonObject
        {
            ["OriginAccessControlConfig"] = new JsonObject
            {
                ["Name"] = StackNames.Unique(stack, $"{prefix}Origin", 64),
                ["OriginAccessControlOriginType"] = "s3",
                ["SigningBehavior"] = "always",
                ["SigningProtocol"] = "sigv4",
            },
        });

        resources[distribution] = Resource("AWS::CloudFront::Distribution", new JsonObject { ["DistributionConfig"] = Distribution(config, environment, bucket, cachePolicy, headers, function, originAccess) });

        var distributionArn = Cfn.Join("arn:", Cfn.Ref("AWS::Partition"), $":cloudfront::{config.Aws.Account}:distribution/", Cfn.Ref(distribution));
        var permissions = DeployRoleSpec.Permissions<JsonNode>(Cfn.GetAtt(bucket, "Arn"), objects, distributionArn)
            .Select(p => (JsonNode)new JsonObject
            {
                ["Action"] = p.Actions.Count == 1 ? p.Actions[0] : Strings(p.Actions),
                ["Effect"] = "Allow",
                ["Resource"] = p.Resource.DeepClone(),
                ["Sid"] = p.Sid,
            });
        resources[role] = Resource("AWS::IAM::Role", new JsonObject
        {
            ["AssumeRolePolicyDocument"] = Policy(new JsonObject
            {
                ["Action"] = DeployRoleSpec.AssumeAction,
                ["Condition"] = JsonSerializer.SerializeToNode(DeployTrustPolicy.Conditions(config, environment)),
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Federated"] = providerArn.DeepClone() },
            }),
            ["Description"] = DeployRoleSpec.Description(config, environment),
            ["MaxSessionDuration"] = DeployRoleSpec.MaxSessionSeconds,
            ["Policies"] = new JsonArray(new JsonObject { ["PolicyDocument"] = Policy([.. permissions]), ["PolicyName"] = DeployRoleSpec.PolicyName }),
            ["Tags"] = new JsonArray(new JsonObject { ["Key"] = DeployRoleSpec.EnvironmentTag, ["Value"] = environment.Name }),
        });

        var name = environment.Name;
        JsonNode url = environment.Url is { } configured ? configured
            : environment.DomainNames.Count > 0 ? $"https://{environment.DomainNames[0]}"
            : Cfn.Join("https://", Cfn.GetAtt(distribution, "DomainName"));
        outputs[StackOutputs.RoleArnKey(name)] = Output(StackSpec.RoleArnDescription(name), Cfn.GetAtt(role, "Arn"));
        outputs[StackOutputs.BucketNameKey(name)] = Output(StackSpec.BucketNameDescription(name), Cfn.Ref(bucket));
        outputs[StackOutputs.DistributionIdKey(name)] = Output(StackSpec.DistributionIdDescription(name), Cfn.Ref(distribution));
        outputs[StackOutputs.UrlKey(name)] = Output(StackSpec.UrlDescription(name), url);
    }

    private static JsonObject Distribution(KeylessConfig config, EnvironmentSettings environment, string bucket, string cachePolicy, string headers, string function, string originAccess)
    {
        var originId = $"{bucket}Origin";
        var distribution = new JsonObject
        {
            ["Comment"] = StaticSiteSpec.Comment(config, environment),
            ["CustomErrorResponses"] = new JsonArray([.. StaticSiteSpec.NotFoundStatuses.Select(status => (JsonNode)new JsonObject
            {
                ["ErrorCachingMinTTL"] = StaticSiteSpec.ErrorCachingSeconds,
                ["ErrorCode"] = status,
                ["ResponseCode"] = 404,
                ["ResponsePagePath"] = SiteDelivery.NotFoundPage,
            })]),
            ["DefaultCacheBehavior"] = new JsonObject
            {
                ["AllowedMethods"] = Strings(["GET", "HEAD"]),
                ["CachePolicyId"] = Cfn.Ref(cachePolicy),
                ["Compress"] = true,
                ["FunctionAssociations"] = new JsonArray(new JsonObject { ["EventType"] = "viewer-request", ["FunctionARN"] = Cfn.GetAtt(function, "FunctionARN") }),
                ["ResponseHeadersPolicyId"] = Cfn.Ref(headers),
                ["TargetOriginId"] = originId,
                ["ViewerProtocolPolicy"] = "redirect-to-https",
            },
            ["DefaultRootObject"] = SiteDelivery.DefaultRootObject,
            ["Enabled"] = true,
            ["HttpVersion"] = "http2and3",
            ["IPV6Enabled"] = true,
            ["Origins"] = new JsonArray(new JsonObject
            {
                ["DomainName"] = Cfn.GetAtt(bucket, "RegionalDomainName"),
                ["Id"] = originId,
                ["OriginAccessControlId"] = Cfn.GetAtt(originAccess, "Id"),
                ["S3OriginConfig"] = new JsonObject { ["OriginAccessIdentity"] = "" },
            }),
            ["PriceClass"] = StaticSiteSpec.PriceClass(environment),
        };
        if (environment.DomainNames.Count > 0)
        {
            distribution["Aliases"] = Strings(environment.DomainNames);
            distribution["ViewerCertificate"] = new JsonObject
            {
                ["AcmCertificateArn"] = environment.CertificateArn,
                ["MinimumProtocolVersion"] = StaticSiteSpec.CustomDomainMinimumProtocol,
                ["SslSupportMethod"] = "sni-only",
            };
        }

        return distribution;
    }

    private static JsonObject Resource(string type, JsonObject properties) => new() { ["Type"] = type, ["Properties"] = properties };

    // Kept when the stack is deleted: the buckets hold the sites, and other roles of the account may trust the provider.
    private static JsonObject Retained(string type, JsonObject properties)
    {
        var resource = Resource(type, properties);
        resource["UpdateReplacePolicy"] = "Retain";
        resource["DeletionPolicy"] = "Retain";
        return resource;
    }

    private static JsonObject Policy(params JsonNode[] statements) => new() { ["Statement"] = new JsonArray(statements), ["Version"] = "2012-10-17" };

    private static JsonObject Output(string description, JsonNode value) => new() { ["Description"] = description, ["Value"] = value };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
