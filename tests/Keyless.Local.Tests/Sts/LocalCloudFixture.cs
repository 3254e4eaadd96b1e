using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Keyless.Core.Configuration;
using Keyless.Local.Cloud;
using Keyless.Local.Issuer;
using Keyless.Local.Sts;
using Keyless.Testing;

namespace Keyless.Local.Tests.Sts;

/// <summary>
/// The local cloud of these tests: a moto_server, the local GitLab issuer and the local STS, each on a free
/// loopback port and checked to be the process or instance the fixture started; IAM holds an OIDC provider
/// for the issuer and two roles (staging from main, production from v* tags of acme/website).
/// </summary>
public sealed class LocalCloudFixture : IAsyncLifetime, IDisposable
{
    public const string Audience = "sts.amazonaws.com";
    public const string Project = "acme/website";

    private readonly TempFolder _state = new();

    public MotoServer Moto { get; private set; } = null!;

    public LocalIssuer Issuer { get; private set; } = null!;

    public LocalSts Sts { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public string StagingRoleArn { get; private set; } = "";

    public string ProductionRoleArn { get; private set; } = "";

    public string UnreachableIssuer { get; private set; } = "";

    public ConcurrentQueue<LocalStsDecision> Decisions { get; } = new();

    /// <summary>Everything the tests saw printed or thrown, to scan for secrets at the end.</summary>
    public ConcurrentQueue<string> Captured { get; } = new();

    /// <summary>Every token and secret the tests handled, which must never appear in <see cref="Captured"/>.</summary>
    public ConcurrentQueue<string> Secrets { get; } = new();

    public async Task InitializeAsync()
    {
        Moto = await MotoServer.StartAsync();
        Issuer = await LocalIssuer.StartAsync(_state.Path);
        var iam = new IamQueryClient(Http, Moto.Url, new ImmutableCredentials("setup", "setup", null));

        var provider = await iam.CreateOpenIdConnectProviderAsync(Issuer.Url, [Audience], []);
        var prefix = ProviderUrl.StripScheme(Issuer.Url);
        StagingRoleArn = await iam.CreateRoleAsync("staging-deploy", Trust(provider, prefix, "StringEquals", $"project_path:{Project}:ref_type:branch:ref:main"), 3600);
        ProductionRoleArn = await iam.CreateRoleAsync("production-deploy", Trust(provider, prefix, "StringLike", $"project_path:{Project}:ref_type:tag:ref:v*"), 3600);

        // An issuer whose keys cannot be fetched: its port is closed.
        UnreachableIssuer = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        await iam.CreateOpenIdConnectProviderAsync(UnreachableIssuer, [Audience], []);

        Sts = await LocalSts.StartAsync(new LocalStsOptions(Moto.Url));
        Sts.Decided += Decisions.Enqueue;

        // Talk only to what we started.
        Assert.True(LoopbackPorts.IsListeningProcess(Moto.Port, Moto.ProcessId));
        Assert.Equal(Issuer.InstanceId, await InstanceAsync(Issuer.Url + LocalIssuer.InstancePath));
        Assert.Equal(Sts.InstanceId, await InstanceAsync(Sts.Url + LocalSts.InstancePath));
    }

    public async Task DisposeAsync()
    {
        await Sts.DisposeAsync();
        await Issuer.DisposeAsync();
        await Moto.DisposeAsync();
        Dispose();
    }

    public void Dispose()
    {
        Http.Dispose();
        _state.Dispose();
    }

    public string Mint(string project = Project, string gitRef = "main", RefType type = RefType.Branch, bool isProtected = true)
    {
        var token = new LocalTokenMinter(Issuer.Key).Mint(new MintRequest(Issuer.Url, project, gitRef, type, Audience) { RefProtected = isProtected });
        Secrets.Enqueue(token);
        return token;
    }

    /// <summary>Claims of a valid main-branch token for the local issuer, to tamper with.</summary>
    public Dictionary<string, object?> Claims()
    {
        var claims = Jwt.Claims(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        claims["iss"] = Issuer.Url;
        claims["sub"] = $"project_path:{Project}:ref_type:branch:ref:main";
        return claims;
    }

    public string Keep(string token)
    {
        Secrets.Enqueue(token);
        return token;
    }

    /// <summary>Assumes a role through the local STS with the AWS SDK for .NET (no retries).</summary>
    public async Task<(Credentials? Credentials, AmazonSecurityTokenServiceException? Error)> AssumeWithSdkAsync(string roleArn, string token, string sessionName = "keyless-test", int duration = 900)
    {
        using var client = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = Sts.Url,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
        try
        {
            var response = await client.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
            {
                RoleArn = roleArn,
                RoleSessionName = sessionName,
                WebIdentityToken = token,
                DurationSeconds = duration,
            });
            Secrets.Enqueue(response.Credentials.SecretAccessKey);
            Secrets.Enqueue(response.Credentials.SessionToken);
            return (response.Credentials, null);
        }
        catch (AmazonSecurityTokenServiceException e)
        {
            Captured.Enqueue(e.Message);
            Captured.Enqueue(e.ToString());
            return (null, e);
        }
    }

    private async Task<string?> InstanceAsync(string url)
    {
        using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri(url)));
        return document.RootElement.GetProperty("instance").GetString();
    }

    private static string Trust(string providerArn, string prefix, string op, string sub) => JsonSerializer.Serialize(new
    {
        Version = "2012-10-17",
        Statement = new[]
        {
            new Dictionary<string, object>
            {
                ["Effect"] = "Allow",
                ["Principal"] = new { Federated = providerArn },
                ["Action"] = "sts:AssumeRoleWithWebIdentity",
                ["Condition"] = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, string> { [$"{prefix}:aud"] = Audience },
                    [op] = new Dictionary<string, string> { [$"{prefix}:sub"] = sub },
                },
            },
        },
    });
}

[CollectionDefinition(Name)]
public sealed class LocalCloudGroup : ICollectionFixture<LocalCloudFixture>
{
    public const string Name = "local cloud";
}
