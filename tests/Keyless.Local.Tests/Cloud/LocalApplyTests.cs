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
    public async Task Should_AdmitOnlyTheConfiguredRefs_And_KeepEachRoleToItsOwnBucket_When_IamIsEnforced(string template)
    {
        // Given: the stack in moto, an admin for the local STS, then IAM enforcement on
        var (result, sts) = await EnforcedAsync(template.StartsWith("written", StringComparison.Ordinal) ? CloudFormationTemplate.For(stacks.Repo.Config) : stacks.Repo.TemplateText);
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

    [Fact]
    public async Task Should_DeleteWhatRetentionDropped_When_TheStagingRoleDeploysAThirdRelease()
    {
        // Given: the stack in moto with IAM enforced, and the staging role's session from main's ID token
        var (result, sts) = await EnforcedAsync();
        await using var _ = sts;
        var staging = (await AssumeAsync(sts, result.Outputs["StagingRoleArn"], Mint("main", RefType.Branch, isProtected: true))).Credentials!;
        var bucket = result.Outputs["StagingBucketName"];
        var site = Directory.CreateDirectory(Path.Combine(_state, "site")).FullName;

        // When: three releases whose home page differs, each deployed with the role's session and the default retention
        foreach (var release in new[] { "r1", "r2", "r3" })
        {
            await File.WriteAllTextAsync(Path.Combine(site, "index.html"), $"<html>{release}</html>");
            await DeployAsync(staging, bucket, site, release);
        }

        // Then: the third deploy's cleanup deleted r1's content copy, which no retained release needs
        using var s3 = LocalCloudClients.S3(_moto.Url, new SessionAWSCredentials(staging.AccessKeyId, staging.SecretAccessKey, staging.SessionToken));
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects.Select(o => o.Key).ToList();
        Assert.Equal(2, keys.Count(k => k.StartsWith(".keyless/content/", StringComparison.Ordinal)));
        Assert.DoesNotContain(".keyless/content/" + Convert.ToHexStringLower(SHA256.HashData("<html>r1</html>"u8)), keys);
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
    private async Task<(LocalApplyResult Result, LocalSts Sts)> EnforcedAsync(string? template = null)
    {
        var result = await ApplyAsync(template ?? stacks.Repo.TemplateText);
        using var http = new HttpClient();
        var iam = new IamQueryClient(http, _moto.Url, LocalCloudClients.Setup);
        await iam.EnsureUserAsync("keyless-local-admin");
        await iam.PutUserPolicyAsync("keyless-local-admin", "all", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        var admin = await iam.CreateAccessKeyAsync("keyless-local-admin");
        await _moto.EnforceIamAsync(http);
        return (result, await LocalSts.StartAsync(new LocalStsOptions(_moto.Url) { GitLabComKeys = result.GitLabComKeys, IamCredentials = admin, ForwardSigningCredentials = admin }));
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
