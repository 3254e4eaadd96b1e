using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Keyless.Core;
using Keyless.Deploy;
using Keyless.Deploy.Aws;
using Keyless.Deploy.Publishing;
using Keyless.Deploy.Releases;
using Keyless.Infrastructure.Tests;
using Keyless.Local.Cloud;
using Keyless.Local.Issuer;
using Keyless.Local.Sts;
using Keyless.Stack;
using Keyless.Testing;

namespace Keyless.Local.Tests.Cloud;

/// <summary>
/// The synthesized template applied to moto behaves like the stack in AWS: the roles trust exactly the
/// configured refs of the project (through the local STS), and each role's credentials reach only its own
/// bucket (moto's IAM enforcement on). Applying twice changes nothing; a changed template updates in place.
/// </summary>
[Collection(SynthesizedStacksDefinition.Name)]
public sealed class LocalApplyTests(SynthesizedStacks stacks) : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("keyless-apply-").FullName;
    private MotoServer _moto = null!;
    private LocalIssuer _issuer = null!;

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        _issuer = await LocalIssuer.StartAsync(_state);
    }

    public async Task DisposeAsync()
    {
        await _issuer.DisposeAsync();
        await _moto.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Should_ChangeNothing_When_AppliedTwice_And_UpdateInPlace_When_TheTemplateChanges()
    {
        var first = await ApplyAsync(stacks.Repo.TemplateText);
        var second = await ApplyAsync(stacks.Repo.TemplateText);
        var changed = JsonNode.Parse(stacks.Repo.TemplateText)!;
        var (stagingId, _) = stacks.Repo.RoleTagged("staging");
        var condition = changed["Resources"]![stagingId]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]!["StringEquals"]!;
        condition["gitlab.com:sub"] = "project_path:keyless-demo/website:ref_type:branch:ref:develop";
        var third = await ApplyAsync(changed.ToJsonString());

        Assert.All(first.Resources, r => Assert.Equal("created", r.Change));
        Assert.All(second.Resources, r => Assert.Equal("unchanged", r.Change));
        Assert.Equal("updated", third.Resources.Single(r => r.LogicalId == stagingId).Change);
        Assert.All(third.Resources.Where(r => r.LogicalId != stagingId), r => Assert.Equal("unchanged", r.Change));
        using var http = new HttpClient();
        var role = await new IamQueryClient(http, _moto.Url, LocalCloudClients.Setup).GetRoleAsync(stagingId);
        Assert.Contains("ref:develop", role!.TrustPolicy, StringComparison.Ordinal);
        Assert.Contains(OidcPrefix + ":sub", role.TrustPolicy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("synthesized by the CDK app")]
    [InlineData("written by keyless aws template")]
    public async Task Should_KeepVersionsAndSetTheExpiryRule_When_TheTemplateVersionsItsBuckets(string template)
    {
        // When: the stack's template applied (both versioned buckets with the rule expiring old versions)
        var result = await ApplyAsync(template.StartsWith("written", StringComparison.Ordinal) ? CloudFormationTemplate.For(stacks.Repo.Config) : stacks.Repo.TemplateText);

        // Then: each bucket keeps versions, and reads back the rule as the S3 API shapes it
        using var s3 = LocalCloudClients.S3(_moto.Url);
        foreach (var bucket in new[] { result.Outputs["StagingBucketName"], result.Outputs["ProductionBucketName"] })
        {
            Assert.Equal(VersionStatus.Enabled, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);
            var rule = Assert.Single((await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket })).Configuration.Rules);
            Assert.Equal(StaticSiteSpec.VersionsRuleId, rule.Id);
            Assert.Equal(LifecycleRuleStatus.Enabled, rule.Status);
            Assert.Null(rule.Filter.Tag); // no tag, no And, no prefix: the rule covers every object
            Assert.Null(rule.Filter.And);
            Assert.True(string.IsNullOrEmpty(rule.Filter.Prefix), rule.Filter.Prefix);
            Assert.Equal(StaticSiteSpec.NoncurrentVersionDays, rule.NoncurrentVersionExpiration.NoncurrentDays);
            Assert.True(rule.Expiration.ExpiredObjectDeleteMarker);
            Assert.Null(rule.Expiration.Days);
        }
    }

    [Fact]
    public async Task Should_LeaveTheBucketsUnversioned_When_TheTemplateDoesNotVersionThem()
    {
        // When: the stack's template without versioning and expiry rules, as a bucket of an older stack
        var result = await ApplyAsync(Unversioned(stacks.Repo.TemplateText));

        // Then
        using var s3 = LocalCloudClients.S3(_moto.Url);
        var bucket = result.Outputs["StagingBucketName"];
        Assert.Equal(VersionStatus.Off, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);
        Assert.Empty((await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket })).Configuration?.Rules ?? []);
    }

    [Fact]
    public async Task Should_UpdateTheExpiryRuleAndSuspendVersions_When_TheTemplateChangesThem()
    {
        // Given: the stack applied, then a template whose staging rule keeps old versions 7 days
        await ApplyAsync(stacks.Repo.TemplateText);
        var changed = JsonNode.Parse(stacks.Repo.TemplateText)!;
        var staging = StagingBucketId(changed);
        changed["Resources"]![staging]!["Properties"]!["LifecycleConfiguration"]!["Rules"]![0]!["NoncurrentVersionExpiration"]!["NoncurrentDays"] = 7;

        // When: that template, then one without versioning at all
        var shorter = await ApplyAsync(changed.ToJsonString());
        using var s3 = LocalCloudClients.S3(_moto.Url);
        var bucket = shorter.Outputs["StagingBucketName"];
        var days = Assert.Single((await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket })).Configuration.Rules).NoncurrentVersionExpiration.NoncurrentDays;
        var unversioned = await ApplyAsync(Unversioned(stacks.Repo.TemplateText));

        // Then: the rule was replaced in place; a versioned bucket cannot go back to never versioned, so it is suspended
        Assert.Equal("updated", shorter.Resources.Single(r => r.LogicalId == staging).Change);
        Assert.All(shorter.Resources.Where(r => r.LogicalId != staging), r => Assert.Equal("unchanged", r.Change));
        Assert.Equal(7, days);
        Assert.All(unversioned.Resources.Where(r => r.Type == "AWS::S3::Bucket"), r => Assert.Equal("updated", r.Change));
        Assert.Equal(VersionStatus.Suspended, (await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket })).VersioningConfig.Status);
        Assert.Empty((await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket })).Configuration?.Rules ?? []);
    }

    [Fact]
    public async Task Should_RefuseAndCreateNothing_When_ABucketsVersioningCannotBeApplied()
    {
        // Given: the stack's template with a misspelt versioning status on the staging bucket
        var changed = JsonNode.Parse(stacks.Repo.TemplateText)!;
        var staging = StagingBucketId(changed);
        changed["Resources"]![staging]!["Properties"]!["VersioningConfiguration"]!["Status"] = "enabled";

        // When
        var error = await Assert.ThrowsAsync<KeylessException>(() => ApplyAsync(changed.ToJsonString()));

        // Then: exit 2 naming the field, the value and what is expected; moto holds no bucket and no provider
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains($"$.Resources.{staging}.Properties.VersioningConfiguration.Status", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"enabled\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"Enabled\" or \"Suspended\"", error.Message, StringComparison.Ordinal);
        using var s3 = LocalCloudClients.S3(_moto.Url);
        Assert.Empty((await s3.ListBucketsAsync(new ListBucketsRequest())).Buckets ?? []);
        using var http = new HttpClient();
        Assert.Empty(await new IamQueryClient(http, _moto.Url, LocalCloudClients.Setup).ListOpenIdConnectProviderArnsAsync());
    }

    [Theory]
    [InlineData("synthesized by the CDK app")]
    [InlineData("written by keyless aws template")]
    public async Task Should_AdmitOnlyTheConfiguredRefs_And_KeepEachRoleToItsOwnBucket_When_IamIsEnforced(string template)
    {
        // Given: the stack in moto, an admin for the local STS, then IAM enforcement on
        var (result, sts, _) = await EnforcedAsync(template.StartsWith("written", StringComparison.Ordinal) ? CloudFormationTemplate.For(stacks.Repo.Config) : stacks.Repo.TemplateText);
        await using var _ = sts;

        // When
        var staging = await AssumeAsync(sts, result.Outputs["StagingRoleArn"], Mint("main", RefType.Branch, isProtected: true));
        var featureBranch = await AssumeAsync(sts, result.Outputs["StagingRoleArn"], Mint("feature/x", RefType.Branch, isProtected: false));
        var mainForProduction = await AssumeAsync(sts, result.Outputs["ProductionRoleArn"], Mint("main", RefType.Branch, isProtected: true));
        var release = await AssumeAsync(sts, result.Outputs["ProductionRoleArn"], Mint("v1.0.0", RefType.Tag, isProtected: true));

        // Then
        Assert.NotNull(staging.Credentials);
        Assert.Equal("AccessDenied", featureBranch.Error);
        Assert.Equal("AccessDenied", mainForProduction.Error);
        Assert.NotNull(release.Credentials);
        using var s3 = LocalCloudClients.S3(_moto.Url, new SessionAWSCredentials(staging.Credentials!.AccessKeyId, staging.Credentials.SecretAccessKey, staging.Credentials.SessionToken));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = result.Outputs["StagingBucketName"], Key = "index.html", ContentBody = "staging", UseChunkEncoding = false });
        var denied = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = result.Outputs["ProductionBucketName"], Key = "index.html", ContentBody = "hijack", UseChunkEncoding = false }));
        Assert.Equal("AccessDenied", denied.ErrorCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Should_DeleteWhatRetentionDropped_When_TheStagingRoleDeploysAThirdRelease(bool versioned)
    {
        // Given: the stack in moto (its buckets versioned as the stack makes them, or not, as an older stack's) with
        // IAM enforced, and the staging role's session from main's ID token
        var (result, sts, admin) = await EnforcedAsync(versioned ? null : Unversioned(stacks.Repo.TemplateText));
        await using var _ = sts;
        var staging = (await AssumeAsync(sts, result.Outputs["StagingRoleArn"], Mint("main", RefType.Branch, isProtected: true))).Credentials!;
        var bucket = result.Outputs["StagingBucketName"];
        var site = Directory.CreateDirectory(Path.Combine(_state, "site")).FullName;

        // When: three releases whose home page differs, the first with an about page, each deployed with the role's
        // session and the default retention
        foreach (var release in new[] { "r1", "r2", "r3" })
        {
            await File.WriteAllTextAsync(Path.Combine(site, "index.html"), $"<html>{release}</html>");
            if (release == "r1")
            {
                Directory.CreateDirectory(Path.Combine(site, "about"));
                await File.WriteAllTextAsync(Path.Combine(site, "about", "index.html"), "<html>about</html>");
            }
            else if (release == "r2")
            {
                Directory.Delete(Path.Combine(site, "about"), recursive: true);
            }

            await DeployAsync(staging, bucket, site, release);
        }

        // Then: the third deploy's cleanup deleted the about page, which no retained release needs
        using var s3 = LocalCloudClients.S3(_moto.Url, new BasicAWSCredentials(admin.AccessKey, admin.SecretKey));
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Select(o => o.Key).ToList();
        Assert.DoesNotContain("about/index.html", keys);
        Assert.Contains("index.html", keys);
        var versions = (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket })).Versions;
        var about = versions.Where(v => v.Key == "about/index.html").ToList();
        if (versioned)
        {
            // And, the bucket keeping versions, each page written in place: no content copies; the deleted page is
            // hidden behind a delete marker, its version (the one r1 recorded) still there for a rollback to r1
            Assert.DoesNotContain(keys, k => k.StartsWith(".keyless/content/", StringComparison.Ordinal));
            Assert.Equal(2, about.Count);
            Assert.True(about.Single(v => v.IsDeleteMarker == true).IsLatest);
            Assert.False(about.Single(v => v.IsDeleteMarker != true).IsLatest);
            Assert.Equal(3, versions.Count(v => v.Key == "index.html" && v.IsDeleteMarker != true));
        }
        else
        {
            // And r1's content copies went with it (a deleted object of an unversioned bucket is gone)
            Assert.Equal(2, keys.Count(k => k.StartsWith(".keyless/content/", StringComparison.Ordinal)));
            Assert.DoesNotContain(".keyless/content/" + Convert.ToHexStringLower(SHA256.HashData("<html>r1</html>"u8)), keys);
            Assert.Empty(about);
        }
    }

    private async Task DeployAsync(Credentials session, string bucket, string site, string release)
    {
        var environment = new MapEnvironment
        {
            ["AWS_ENDPOINT_URL"] = _moto.Url.ToString(),
            ["AWS_ACCESS_KEY_ID"] = session.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = session.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = session.SessionToken,
        };
        using var http = new HttpClient();
        var files = new InputFiles(site, TextReader.Null);
        var deployer = new SiteDeployer(new AwsConnector(environment, files, http, TimeProvider.System, defaultChain: null), TimeProvider.System, http);
        var target = new DeployTarget("staging", new BucketLayout(bucket, null), "us-east-1", null, null);
        await deployer.DeployAsync(target, new DeployRequest(site, files, new DeployOptions(release, DateTimeOffset.UtcNow)), null, CancellationToken.None);
    }

    /// <summary>The repository's stack applied to moto, an admin for the local STS, then IAM enforcement on.</summary>
    private async Task<(LocalApplyResult Result, LocalSts Sts, ImmutableCredentials Admin)> EnforcedAsync(string? template = null)
    {
        var result = await ApplyAsync(template ?? stacks.Repo.TemplateText);
        var admin = await _moto.EnforceIamWithAdministratorAsync("keyless-local-admin");
        return (result, await LocalSts.StartAsync(new LocalStsOptions(_moto.Url) { GitLabComKeys = result.GitLabComKeys, IamCredentials = admin, ForwardSigningCredentials = admin }), admin);
    }

    private static string StagingBucketId(JsonNode template) =>
        template["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::S3::Bucket" && r.Key.Contains("Staging", StringComparison.Ordinal)).Key;

    /// <summary>The template with no bucket keeping versions or expiring any.</summary>
    private static string Unversioned(string template)
    {
        var json = JsonNode.Parse(template)!;
        foreach (var (_, resource) in json["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == "AWS::S3::Bucket"))
        {
            resource!["Properties"]!.AsObject().Remove("VersioningConfiguration");
            resource["Properties"]!.AsObject().Remove("LifecycleConfiguration");
        }

        return json.ToJsonString();
    }

    private string OidcPrefix => _issuer.Url["http://".Length..];

    private async Task<LocalApplyResult> ApplyAsync(string template) =>
        await LocalCloudClients.ApplyAsync(_moto.Url, "Keyless-keyless-demo-website.template.json", template, _issuer.Url);

    private string Mint(string gitRef, RefType type, bool isProtected) =>
        new LocalTokenMinter(_issuer.Key).Mint(new MintRequest(_issuer.Url, stacks.Repo.Config.GitLab.Project, gitRef, type, stacks.Repo.Config.GitLab.Audience)
        {
            ProjectId = stacks.Repo.Config.GitLab.ProjectId,
            NamespaceId = stacks.Repo.Config.GitLab.NamespaceId,
            RefProtected = isProtected,
        });

    private static async Task<(Credentials? Credentials, string? Error)> AssumeAsync(LocalSts sts, string role, string token)
    {
        using var client = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { ServiceURL = sts.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        try
        {
            var response = await client.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest { RoleArn = role, RoleSessionName = "local-apply-test", WebIdentityToken = token, DurationSeconds = 900 });
            return (response.Credentials, null);
        }
        catch (AmazonSecurityTokenServiceException e)
        {
            return (null, e.ErrorCode);
        }
    }
}
