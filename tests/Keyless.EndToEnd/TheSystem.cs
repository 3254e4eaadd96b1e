using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Keyless.Cli;
using Keyless.Core;
using Keyless.Local.Cloud;
using Keyless.Local.Issuer;
using Spectre.Console.Testing;

namespace Keyless.EndToEnd;

/// <summary>
/// The whole system, once for all end-to-end tests: <c>keyless local up</c>'s work — the local cloud and the
/// real <c>.gitlab-ci.yml</c> run by gitlab-ci-local for <c>main</c> (staging) and <c>v1.0.0</c> (production).
/// </summary>
public sealed class TheSystem : IAsyncLifetime
{
    private readonly string _state = Directory.CreateTempSubdirectory("keyless-e2e-").FullName;

    public static string Repository { get; } = Testing.Repository.Root;

    public LocalCloud Cloud { get; private set; } = null!;

    public IReadOnlyList<LocalUpRun> Runs { get; private set; } = [];

    public ConcurrentQueue<string> Log { get; } = new();

    /// <summary>Everything printed during the tests, to scan for secrets.</summary>
    public ConcurrentQueue<string> Captured { get; } = new();

    public ConcurrentQueue<string> Secrets { get; } = new();

    public string StagingUrl => Cloud.SiteUrls["staging"];

    public string ProductionUrl => Cloud.SiteUrls["production"];

    public string Output(string name) => Cloud.Stack.Outputs[name];

    public async Task InitializeAsync()
    {
        (Cloud, Runs) = await LocalUp.RunAsync(new LocalCloudOptions(Repository, _state, Environment.GetEnvironmentVariable), Log.Enqueue);
        foreach (var line in Log)
        {
            Captured.Enqueue(line);
        }
    }

    public async Task DisposeAsync()
    {
        await Cloud.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    public string Mint(string project, string gitRef, RefType type, bool isProtected)
    {
        var token = new LocalTokenMinter(Cloud.Issuer.Key).Mint(new MintRequest(Cloud.Issuer.Url, project, gitRef, type, Cloud.Config.GitLab.Audience)
        {
            ProjectId = project == Cloud.Config.GitLab.Project ? Cloud.Config.GitLab.ProjectId : "99999999",
            NamespaceId = Cloud.Config.GitLab.NamespaceId,
            RefProtected = isProtected,
        });
        Secrets.Enqueue(token);
        return token;
    }

    public async Task<(Credentials? Credentials, string? Error)> AssumeAsync(string roleArn, string token)
    {
        using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { ServiceURL = Cloud.Sts.Url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        try
        {
            var response = await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest { RoleArn = roleArn, RoleSessionName = "keyless-e2e", WebIdentityToken = token, DurationSeconds = 900 });
            Secrets.Enqueue(response.Credentials.SecretAccessKey);
            Secrets.Enqueue(response.Credentials.SessionToken);
            return (response.Credentials, null);
        }
        catch (AmazonSecurityTokenServiceException e)
        {
            Captured.Enqueue(e.Message);
            return (null, e.ErrorCode);
        }
    }

    /// <summary>
    /// Every version of every key of a bucket, delete markers included, read as the local administrator: the stack's
    /// buckets keep versions, so any write or delete adds one, even of the bytes a key already held.
    /// </summary>
    public async Task<IReadOnlyList<string>> VersionsAsync(string bucket)
    {
        using var s3 = Cloud.AdminS3();
        var versions = new List<string>();
        var request = new ListVersionsRequest { BucketName = bucket };
        ListVersionsResponse listing;
        do
        {
            listing = await s3.ListVersionsAsync(request);
            versions.AddRange((listing.Versions ?? []).Select(v => $"{v.Key} {v.VersionId} {(v.IsDeleteMarker == true ? "delete marker" : v.ETag)}"));
            (request.KeyMarker, request.VersionIdMarker) = (listing.NextKeyMarker, listing.NextVersionIdMarker);
        }
        while (listing.IsTruncated == true);

        return [.. versions.Order(StringComparer.Ordinal)];
    }

    /// <summary>The keys a bucket serves now, read as the local administrator.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string bucket)
    {
        using var s3 = Cloud.AdminS3();
        return [.. ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []).Select(o => o.Key)];
    }

    /// <summary>Runs keyless in-process as a deploy job of this system would, with <paramref name="token"/> as its ID token.</summary>
    public async Task<(int ExitCode, string Output)> KeylessAsync(string? token, params string[] args)
    {
        var environment = new Dictionary<string, string>(Cloud.JobVariables(), StringComparer.Ordinal);
        if (token is not null)
        {
            environment["KEYLESS_ID_TOKEN"] = token;
        }

        var output = new TestConsole().Width(250);
        var errors = new TestConsole().Width(250);
        var exit = await KeylessApp.RunAsync(args, output, errors, new KeylessServices { Environment = new Variables(environment), WorkingFolder = Repository });
        var text = output.Output + errors.Output;
        Captured.Enqueue(text);
        return (exit, text);
    }

    public void AssertNoSecretLeaked()
    {
        var all = string.Join("\n", Captured);
        foreach (var secret in Secrets)
        {
            Assert.False(all.Contains(secret, StringComparison.Ordinal), "a token, secret key or session token appeared in captured output");
        }
    }

    private sealed class Variables(IReadOnlyDictionary<string, string> values) : IEnvironment
    {
        public string? Variable(string name) => values.GetValueOrDefault(name);
    }
}

[CollectionDefinition(Name)]
public sealed class TheSystemGroup : ICollectionFixture<TheSystem>
{
    public const string Name = "the system";
}
