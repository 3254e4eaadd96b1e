using System.Net;
using Keyless.Local.Issuer;
using Keyless.Local.Pipeline;

namespace Keyless.EndToEnd;

/// <summary>The real pipeline deployed both environments, and nobody else can.</summary>
[Collection(TheSystemGroup.Name)]
public sealed class PipelineTests(TheSystem system)
{
    private static readonly string[] MainJobs = ["validate", "build", "test", "deploy-staging"];

    [Fact]
    public async Task Should_ServeTheBuiltSiteOnStaging_When_MainWasPushed()
    {
        // Given: the main pipeline ran its four jobs
        var main = system.Runs.Single(r => !r.Ref.IsTag).Result;
        Assert.All(MainJobs, job => Assert.Equal(JobStatus.Passed, main[job]));
        Assert.Equal(JobStatus.NotInPipeline, main["deploy-production"]);

        // When
        using var http = new HttpClient();
        var page = await http.GetStringAsync(new Uri(system.StagingUrl + "/"));
        var stylesheet = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"]*\\.[0-9a-f]{8,}\\.css)\"").Groups[1].Value;
        using var css = await http.GetAsync(new Uri(new Uri(system.StagingUrl + "/"), stylesheet));

        // Then: the built (fingerprinted) site, its assets immutable
        Assert.Contains("<title>", page, StringComparison.Ordinal);
        Assert.NotEmpty(stylesheet);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Contains("immutable", css.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ServeProduction_When_TheReleaseTagWasPushed()
    {
        var tag = system.Runs.Single(r => r.Ref.IsTag).Result;
        Assert.Equal(JobStatus.Passed, tag["deploy-production"]);
        Assert.Equal(JobStatus.NotInPipeline, tag["deploy-staging"]);

        using var http = new HttpClient();
        var production = await http.GetStringAsync(new Uri(system.ProductionUrl + "/"));
        var staging = await http.GetStringAsync(new Uri(system.StagingUrl + "/"));

        Assert.Equal(staging, production); // the same commit, built the same way
    }

    [Fact]
    public async Task Should_GetNoProductionCredentials_When_AFeatureBranchPipelineAsks()
    {
        // Given
        var before = await system.VersionsAsync(system.Output("ProductionBucketName"));
        var feature = system.Mint(system.Cloud.Config.GitLab.Project, "feature/new-header", RefType.Branch, isProtected: false);

        // When: straight to STS, and as a deploy job would
        var (credentials, error) = await system.AssumeAsync(system.Output("ProductionRoleArn"), feature);
        var built = Directory.CreateTempSubdirectory("keyless-e2e-site-").FullName;
        await File.WriteAllTextAsync(Path.Combine(built, "index.html"), "<!doctype html><html lang=\"en\"><title>feature</title></html>");
        var (exit, output) = await system.KeylessAsync(feature, "deploy", "--site", built, "--env", "production", "--dotenv", Path.Combine(Path.GetTempPath(), $"keyless-e2e-{Guid.NewGuid():N}.env"));
        Directory.Delete(built, recursive: true);

        // Then
        Assert.Null(credentials);
        Assert.Equal("AccessDenied", error);
        Assert.NotEqual(0, exit);
        Assert.Contains("AccessDenied", output, StringComparison.Ordinal);
        Assert.Equal(before, await system.VersionsAsync(system.Output("ProductionBucketName")));
        system.AssertNoSecretLeaked();
    }

    [Fact]
    public async Task Should_DenyATokenOfAnotherProject_When_ItAsksForStaging()
    {
        var other = system.Mint("someone-else/website", "main", RefType.Branch, isProtected: true);

        var (credentials, error) = await system.AssumeAsync(system.Output("StagingRoleArn"), other);

        Assert.Null(credentials);
        Assert.Equal("AccessDenied", error);
    }

    [Fact]
    public async Task Should_DenyStagingCredentialsOnTheProductionBucket_When_IamIsEnforced()
    {
        var main = system.Mint(system.Cloud.Config.GitLab.Project, "main", RefType.Branch, isProtected: true);
        var (credentials, _) = await system.AssumeAsync(system.Output("StagingRoleArn"), main);

        using var s3 = Local.Cloud.LocalCloudClients.S3(system.Cloud.Moto.Url, new Amazon.Runtime.SessionAWSCredentials(credentials!.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        var denied = await Assert.ThrowsAsync<Amazon.S3.AmazonS3Exception>(() => s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = system.Output("ProductionBucketName"),
            Key = "index.html",
            ContentBody = "defaced",
            UseChunkEncoding = false,
        }));

        Assert.Equal("AccessDenied", denied.ErrorCode);
    }
}
