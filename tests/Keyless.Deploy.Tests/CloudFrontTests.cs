using System.Xml.Linq;
using Amazon.Runtime;
using Keyless.Core;
using Keyless.Deploy.CloudFront;
using Keyless.Deploy.Tests.Reliability;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto's CloudFront, through the REST stand-in: only changed entry points are invalidated.</summary>
public sealed class CloudFrontTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Should_InvalidateExactlyTheChangedEntryPoints_When_Deploying()
    {
        // Given a distribution and a first deploy
        var bucket = await moto.NewBucketAsync();
        var distribution = await CreateDistributionAsync(bucket);
        using var site = SiteFolder.Typical();
        var first = await moto.DeployAsync(bucket, site, "r1", distribution: distribution, wait: true);

        // When only a page and robots.txt change (and a fingerprinted asset is added)
        site.With("about/index.html", "<html>About v2</html>").With("robots.txt", "User-agent: *\nDisallow: /tmp/\n").With("assets/extra.abcdef12.js", "x");
        var second = await moto.DeployAsync(bucket, site, "r2", distribution: distribution);

        // Then the invalidation names those two entry points (and the page's folder URL), nothing else
        Assert.True(first.Invalidation!.IsCompleted);
        Assert.Equal(["/", "/about/", "/about/index.html", "/images/logo.png", "/index.html", "/robots.txt"], first.Invalidation.Paths.Order(StringComparer.Ordinal));
        var stored = await Client().GetInvalidationAsync(distribution, second.Invalidation!.Id, CancellationToken.None);
        Assert.Equal(["/about/", "/about/index.html", "/robots.txt"], stored.Paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_InvalidateNothing_When_NoEntryPointChanged()
    {
        var bucket = await moto.NewBucketAsync();
        var distribution = await CreateDistributionAsync(bucket);
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1", distribution: distribution);
        var before = await InvalidationCountAsync(distribution);

        var unchanged = await moto.DeployAsync(bucket, site, "r2", distribution: distribution);
        var assetOnly = await moto.DeployAsync(bucket, site.With("assets/more.0f0f0f0f.js", "more"), "r3", distribution: distribution);

        Assert.Null(unchanged.Invalidation);
        Assert.Null(assetOnly.Invalidation);
        Assert.Equal(1, assetOnly.Plan.Uploaded);
        Assert.Equal(before, await InvalidationCountAsync(distribution));
    }

    [Fact]
    public async Task Should_InvalidateTheRestoredPages_When_RollingBack()
    {
        var bucket = await moto.NewBucketAsync();
        var distribution = await CreateDistributionAsync(bucket);
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1", distribution: distribution);
        await moto.DeployAsync(bucket, site.With("index.html", "<html>v2</html>"), "r2", distribution: distribution);

        var rollback = await moto.RollbackAsync(bucket, distribution: distribution);

        Assert.Equal(["/", "/index.html"], rollback.Invalidation!.Paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Should_NameTheDistribution_When_ItDoesNotExist()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();

        var error = await Assert.ThrowsAsync<KeylessException>(() => moto.DeployAsync(bucket, site, "r1", distribution: "ENOSUCHDIST"));

        Assert.Contains("no distribution ENOSUCHDIST", error.Message, StringComparison.Ordinal);
        Assert.Contains("create-invalidation", error.Message, StringComparison.Ordinal);
        Assert.Equal("r1", await moto.LiveReleaseAsync(bucket));
    }

    [Theory]
    [InlineData(Fault.SlowDown)]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.Reset)]
    public async Task Should_TryAgain_When_CloudFrontThrottlesOrFails(Fault fault)
    {
        // Given a CloudFront endpoint whose first two answers to the invalidation are failures
        var bucket = await moto.NewBucketAsync();
        var distribution = await CreateDistributionAsync(bucket);
        await using var proxy = await FaultProxy.StartAsync(moto.Server.Url);
        proxy.Faults = request => request.Method == "POST" && request.Attempt <= 2 ? fault : Fault.None;
        var client = new CloudFrontRestClient(moto.Http, proxy.Url, new BasicAWSCredentials(MotoFixture.AccessKey, MotoFixture.SecretKey));

        // When an invalidation is created through it
        var invalidation = await client.CreateInvalidationAsync(distribution, ["/index.html"], "retry-" + bucket, CancellationToken.None);

        // Then the third attempt made it, and only one invalidation exists
        Assert.Equal(3, proxy.Log.Count(entry => entry.Request.Method == "POST"));
        Assert.Equal(["/index.html"], (await Client().GetInvalidationAsync(distribution, invalidation.Id, CancellationToken.None)).Paths);
    }

    private CloudFrontRestClient Client() => new(moto.Http, moto.Server.Url, new BasicAWSCredentials(MotoFixture.AccessKey, MotoFixture.SecretKey));

    private async Task<string> CreateDistributionAsync(string bucket)
    {
        XNamespace ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
        var config = new XElement(ns + "DistributionConfig",
            new XElement(ns + "CallerReference", bucket),
            new XElement(ns + "Origins",
                new XElement(ns + "Quantity", 1),
                new XElement(ns + "Items", new XElement(ns + "Origin",
                    new XElement(ns + "Id", "site"),
                    new XElement(ns + "DomainName", $"{bucket}.s3.amazonaws.com"),
                    new XElement(ns + "S3OriginConfig", new XElement(ns + "OriginAccessIdentity"))))),
            new XElement(ns + "DefaultCacheBehavior",
                new XElement(ns + "TargetOriginId", "site"),
                new XElement(ns + "ViewerProtocolPolicy", "redirect-to-https"),
                new XElement(ns + "MinTTL", 0),
                new XElement(ns + "ForwardedValues", new XElement(ns + "QueryString", false), new XElement(ns + "Cookies", new XElement(ns + "Forward", "none")))),
            new XElement(ns + "Comment", "keyless test"),
            new XElement(ns + "Enabled", true));
        var created = await Client().SendAsync(HttpMethod.Post, "/2020-05-31/distribution", config, CancellationToken.None);
        return created.Descendants().First(e => e.Name.LocalName == "Id").Value;
    }

    private async Task<int> InvalidationCountAsync(string distribution)
    {
        var list = await Client().SendAsync(HttpMethod.Get, $"/2020-05-31/distribution/{distribution}/invalidation", null, CancellationToken.None);
        return list.Descendants().Count(e => e.Name.LocalName == "InvalidationSummary");
    }
}
