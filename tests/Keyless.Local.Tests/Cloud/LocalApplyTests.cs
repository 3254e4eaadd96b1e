using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Keyless.Infrastructure.Tests;
using Keyless.Local.Cloud;
using Keyless.Local.Issuer;
using Keyless.Local.Sts;

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

    [Fact]
    public async Task Should_AdmitOnlyTheConfiguredRefs_And_KeepEachRoleToItsOwnBucket_When_IamIsEnforced()
    {
        // Given: the stack in moto, an admin for the local STS, then IAM enforcement on
        var result = await ApplyAsync(stacks.Repo.TemplateText);
        using var http = new HttpClient();
        var iam = new IamQueryClient(http, _moto.Url, LocalCloudClients.Setup);
        await iam.EnsureUserAsync("keyless-local-admin");
        await iam.PutUserPolicyAsync("keyless-local-admin", "all", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        var admin = await iam.CreateAccessKeyAsync("keyless-local-admin");
        await _moto.EnforceIamAsync(http);
        await using var sts = await LocalSts.StartAsync(new LocalStsOptions(_moto.Url) { GitLabComKeys = result.GitLabComKeys, IamCredentials = admin, ForwardSigningCredentials = admin });

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
