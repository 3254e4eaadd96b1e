using System.Text.Json;
using Amazon.Runtime;
using Keyless.Core.Configuration;
using Keyless.Identity;
using Keyless.Local.Cloud;
using Keyless.Local.Sts;

namespace Keyless.Local.Tests.Sts;

/// <summary>A local issuer can stand in for gitlab.com: with GitLabComKeys its tokens' project_id becomes a condition key.</summary>
[Collection(LocalCloudGroup.Name)]
public sealed class GitLabComKeysTests(LocalCloudFixture cloud)
{
    [Fact]
    public async Task Should_HonourProjectIdPins_Only_When_GitLabComKeysAreOn()
    {
        // Given: a role pinning the project's numeric ID, as roles on gitlab.com do
        var token = cloud.Mint();
        var projectId = IdToken.Decode(token).Claims.Single("project_id")!;
        var prefix = ProviderUrl.StripScheme(cloud.Issuer.Url);
        var iam = new IamQueryClient(cloud.Http, cloud.Moto.Url, new ImmutableCredentials("setup", "setup", null));
        var providerArn = (await iam.ListOpenIdConnectProviderArnsAsync()).Single(arn => arn.EndsWith(prefix, StringComparison.Ordinal));
        var role = await iam.CreateRoleAsync($"pinned-{Guid.NewGuid():N}"[..20], JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new Dictionary<string, object>
                {
                    ["Effect"] = "Allow",
                    ["Principal"] = new { Federated = providerArn },
                    ["Action"] = "sts:AssumeRoleWithWebIdentity",
                    ["Condition"] = new { StringEquals = new Dictionary<string, string> { [$"{prefix}:project_id"] = projectId, [$"{prefix}:sub"] = "project_path:acme/website:ref_type:branch:ref:main" } },
                },
            },
        }), 3600);
        await using var emulating = await LocalSts.StartAsync(new LocalStsOptions(cloud.Moto.Url) { GitLabComKeys = true });

        // When
        var (_, plain) = await cloud.AssumeWithSdkAsync(role, token);
        using var client = new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig { ServiceURL = emulating.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var response = await client.AssumeRoleWithWebIdentityAsync(new() { RoleArn = role, RoleSessionName = "pinned", WebIdentityToken = token, DurationSeconds = 900 });
        cloud.Secrets.Enqueue(response.Credentials.SecretAccessKey);

        // Then: without the keys project_id is absent (fail closed); with them the pin holds
        Assert.Equal("AccessDenied", plain!.ErrorCode);
        Assert.StartsWith("ASIA", response.Credentials.AccessKeyId, StringComparison.Ordinal);
    }
}
