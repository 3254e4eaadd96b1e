using System.Text.Json;
using Amazon.Runtime;
using Keyless.Core.Configuration;
using Keyless.Local.Cloud;
using Keyless.Local.Issuer;

namespace Keyless.Bench;

/// <summary>moto, the local issuer and an IAM role trusting acme/website's main branch, for the benchmarks.</summary>
internal sealed class LocalCloud : IAsyncDisposable
{
    public const string Audience = "sts.amazonaws.com";

    private readonly string _state = Path.Combine(Path.GetTempPath(), "keyless-bench-" + Guid.NewGuid().ToString("N"));

    public MotoServer Moto { get; private set; } = null!;

    public LocalIssuer Issuer { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public string RoleArn { get; private set; } = "";

    public static async Task<LocalCloud> StartAsync()
    {
        var cloud = new LocalCloud();
        cloud.Moto = await MotoServer.StartAsync();
        cloud.Issuer = await LocalIssuer.StartAsync(cloud._state);
        var iam = new IamQueryClient(cloud.Http, cloud.Moto.Url, new ImmutableCredentials("bench", "bench", null));
        var provider = await iam.CreateOpenIdConnectProviderAsync(cloud.Issuer.Url, [Audience], []);
        var prefix = ProviderUrl.StripScheme(cloud.Issuer.Url);
        var trust = JsonSerializer.Serialize(new
        {
            Version = "2012-10-17",
            Statement = new[]
            {
                new Dictionary<string, object>
                {
                    ["Effect"] = "Allow",
                    ["Principal"] = new { Federated = provider },
                    ["Action"] = "sts:AssumeRoleWithWebIdentity",
                    ["Condition"] = new { StringEquals = new Dictionary<string, string> { [$"{prefix}:aud"] = Audience, [$"{prefix}:sub"] = "project_path:acme/website:ref_type:branch:ref:main" } },
                },
            },
        });
        cloud.RoleArn = await iam.CreateRoleAsync("bench-deploy", trust, 3600);
        return cloud;
    }

    public string Mint() =>
        new LocalTokenMinter(Issuer.Key).Mint(new MintRequest(Issuer.Url, "acme/website", "main", RefType.Branch, Audience) { RefProtected = true });

    public async ValueTask DisposeAsync()
    {
        await Issuer.DisposeAsync();
        await Moto.DisposeAsync();
        Http.Dispose();
        Directory.Delete(_state, recursive: true);
    }
}
