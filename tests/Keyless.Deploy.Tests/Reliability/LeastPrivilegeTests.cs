using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Keyless.Core;
using Keyless.Deploy.Storage;
using Keyless.Deploy.Tests.Support;
using Keyless.Local.Cloud;
using Keyless.Testing;

namespace Keyless.Deploy.Tests.Reliability;

/// <summary>
/// A moto_server of its own with IAM enforced. Set up while auth is off: five buckets (one versioned), an admin
/// user, and roles with the deploy policy keyless documents (s3:ListBucket on the bucket; s3:GetObject,
/// s3:GetObjectVersion, s3:PutObject, s3:DeleteObject on its keys), or less. (moto 5 does not check the read of a
/// copy's source, so a role without s3:GetObjectVersion is not tested here: it would be allowed.) Then enforcement goes on (moto's reset-auth) and each role's
/// session is obtained by an AssumeRole signed with the admin's key (an anonymous AssumeRoleWithWebIdentity
/// fails once enforcement is on).
/// </summary>
public sealed class LeastPrivilegeFixture : IAsyncLifetime
{
    private static readonly string Suffix = Guid.NewGuid().ToString("N")[..8];

    public string BucketA { get; } = "kl-lp-a-" + Suffix;

    public string BucketB { get; } = "kl-lp-b-" + Suffix;

    /// <summary>For the role that may not delete.</summary>
    public string BucketC { get; } = "kl-lp-c-" + Suffix;

    /// <summary>For the role that may not write release records.</summary>
    public string BucketD { get; } = "kl-lp-d-" + Suffix;

    /// <summary>Versioned, for the deploy policy.</summary>
    public string BucketE { get; } = "kl-lp-e-" + Suffix;

    public MotoServer Moto { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public ImmutableCredentials Admin { get; private set; } = null!;

    /// <summary>Exactly the deploy policy, on bucket A.</summary>
    public Credentials Deployer { get; private set; } = null!;

    /// <summary>The deploy policy on bucket C without s3:DeleteObject.</summary>
    public Credentials NoDelete { get; private set; } = null!;

    /// <summary>The deploy policy on bucket D, with s3:PutObject on its release records denied.</summary>
    public Credentials NoRecords { get; private set; } = null!;

    /// <summary>Exactly the deploy policy, on the versioned bucket E.</summary>
    public Credentials VersionedDeployer { get; private set; } = null!;

    public AmazonS3Client AdminS3 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Moto = await MotoServer.StartAsync();
        using (var setup = S3ClientFactory.Create(new BasicAWSCredentials("setup", "setup"), new S3ClientSettings { Endpoint = Moto.Url }))
        {
            foreach (var bucket in new[] { BucketA, BucketB, BucketC, BucketD })
            {
                await setup.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
            }

            await setup.PutBucketAsync(new PutBucketRequest { BucketName = BucketE });
            await setup.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = BucketE, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } });
        }

        var iam = new IamQueryClient(Http, Moto.Url, new ImmutableCredentials("setup", "setup", null));
        await iam.EnsureUserAsync("keyless-test-admin");
        await iam.PutUserPolicyAsync("keyless-test-admin", "everything", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""");
        Admin = await iam.CreateAccessKeyAsync("keyless-test-admin");
        var roles = new Dictionary<string, string>
        {
            ["keyless-deploy-a"] = Policy(BucketA, DeployActions),
            ["keyless-deploy-e"] = Policy(BucketE, DeployActions),
            ["keyless-deploy-c-no-delete"] = Policy(BucketC, ["s3:GetObject", "s3:PutObject"]),
            ["keyless-deploy-d-no-records"] = Policy(BucketD, ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], deny: $"arn:aws:s3:::{BucketD}/.keyless/releases/*"),
        };
        // moto checks the trust policy against the caller's exact ARN (an account's root does not stand for its users).
        var trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/keyless-test-admin"},"Action":"sts:AssumeRole"}]}""";
        foreach (var (role, policy) in roles)
        {
            await iam.CreateRoleAsync(role, trust, 3600);
            await iam.PutRolePolicyAsync(role, "deploy", policy);
        }

        await Moto.EnforceIamAsync(Http);

        using var sts = new AmazonSecurityTokenServiceClient(
            new BasicAWSCredentials(Admin.AccessKey, Admin.SecretKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = Moto.Url.ToString(), AuthenticationRegion = "us-east-1" });
        Deployer = await AssumeAsync(sts, "keyless-deploy-a");
        NoDelete = await AssumeAsync(sts, "keyless-deploy-c-no-delete");
        NoRecords = await AssumeAsync(sts, "keyless-deploy-d-no-records");
        VersionedDeployer = await AssumeAsync(sts, "keyless-deploy-e");
        AdminS3 = S3ClientFactory.Create(new BasicAWSCredentials(Admin.AccessKey, Admin.SecretKey), new S3ClientSettings { Endpoint = Moto.Url });
    }

    public async Task DisposeAsync()
    {
        AdminS3?.Dispose();
        Http.Dispose();
        await Moto.DisposeAsync();
    }

    /// <summary>A deploy's environment with these keys (a role session, or the admin's when null).</summary>
    public MapEnvironment Environment(Credentials? session) => new()
    {
        ["AWS_ENDPOINT_URL"] = Moto.Url.ToString(),
        ["AWS_ACCESS_KEY_ID"] = session?.AccessKeyId ?? Admin.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = session?.SecretAccessKey ?? Admin.SecretKey,
        ["AWS_SESSION_TOKEN"] = session?.SessionToken,
        ["AWS_REGION"] = "us-east-1",
    };

    /// <summary>Every secret the tests hold: none may appear in any output.</summary>
    public IEnumerable<string> Secrets => [Admin.SecretKey, .. new[] { Deployer, NoDelete, NoRecords, VersionedDeployer }.SelectMany(c => new[] { c.SecretAccessKey, c.SessionToken })];

    /// <summary>What the deploy role may do to its bucket's objects (the stack's DeployRoleSpec).</summary>
    private static readonly string[] DeployActions = [.. Keyless.Stack.DeployRoleSpec.Permissions("bucket", "objects", "distribution").Single(s => s.Resource == "objects").Actions];

    private static async Task<Credentials> AssumeAsync(AmazonSecurityTokenServiceClient sts, string role) =>
        (await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::123456789012:role/{role}", RoleSessionName = "keyless-test", DurationSeconds = 3600 })).Credentials;

    private static string Policy(string bucket, string[] objectActions, string? deny = null)
    {
        var statements = new List<object>
        {
            new { Effect = "Allow", Action = "s3:ListBucket", Resource = $"arn:aws:s3:::{bucket}" },
            new { Effect = "Allow", Action = objectActions, Resource = $"arn:aws:s3:::{bucket}/*" },
        };
        if (deny is not null)
        {
            statements.Add(new { Effect = "Deny", Action = "s3:PutObject", Resource = deny });
        }

        // As keyless's local cloud gives policies to moto, so that it decides a batch delete like AWS.
        return MotoPolicy.For(JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = statements }));
    }
}

/// <summary>
/// keyless deploy with least-privilege credentials and moto's IAM enforcement: the deploy policy is enough for
/// every step (list, read, upload, copy, record, pointer, delete); the same credentials cannot touch another
/// bucket; and a refusal in the middle of a deploy ends with a clear message, exit 1, nothing deleted and the
/// live release still served. No secret key or session token is ever printed.
/// </summary>
public sealed class LeastPrivilegeTests(LeastPrivilegeFixture cloud) : IClassFixture<LeastPrivilegeFixture>, IDisposable
{
    private readonly SiteFolder _work = SiteFolder.Empty();
    private readonly List<CliResult> _results = [];

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Should_DeployToItsBucket_And_BeRefusedAnotherBucket_When_TheRoleHasTheDeployPolicy()
    {
        // Given a site whose second release drops an asset, deployed keeping one release (so it is deleted)
        using var site = SiteFolder.Typical().With("assets/old.1234abcd.js", "old");
        var first = await DeployAsync(cloud.Deployer, site, cloud.BucketA, "r1", "--retain", "1");
        site.Without("assets/old.1234abcd.js").With("index.html", "<html>Home v2</html>");
        var second = await DeployAsync(cloud.Deployer, site, cloud.BucketA, "r2", "--retain", "1");

        // Then both went through with nothing but the deploy policy
        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        var objects = await KeysAsync(cloud.BucketA);
        Assert.DoesNotContain("assets/old.1234abcd.js", objects);
        Assert.Contains("index.html", objects);
        Assert.Empty(await BucketState.LiveSiteProblemsAsync(cloud.AdminS3, cloud.BucketA, retain: 1));

        // When the same credentials deploy to bucket B
        var refused = await DeployAsync(cloud.Deployer, site, cloud.BucketB, "r1");

        // Then: AccessDenied named with the missing permission, exit 1, nothing written to B
        Assert.Equal(ExitCodes.Failed, refused.ExitCode);
        Assert.Contains("was refused: AccessDenied (HTTP 403", refused.Errors, StringComparison.Ordinal);
        Assert.Contains($"may not s3:ListBucket on arn:aws:s3:::{cloud.BucketB}", refused.Errors, StringComparison.Ordinal);
        Assert.Contains("Grant it in the deploy role's policy", refused.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("This is a bug", refused.Errors, StringComparison.Ordinal);
        Assert.Empty(await KeysAsync(cloud.BucketB));
        AssertNoSecretPrinted();
    }

    [Fact]
    public async Task Should_KeepEveryFile_When_TheRoleMayNotDelete()
    {
        // Given r1 live
        using var site = SiteFolder.Typical().With("assets/old.1234abcd.js", "old");
        Assert.Equal(ExitCodes.Success, (await DeployAsync(cloud.NoDelete, site, cloud.BucketC, "r1", "--retain", "1")).ExitCode);

        // When r2, which drops an asset, is deployed by a role without s3:DeleteObject
        site.Without("assets/old.1234abcd.js").With("index.html", "<html>Home v2</html>");
        var result = await DeployAsync(cloud.NoDelete, site, cloud.BucketC, "r2", "--retain", "1");

        // Then r2 is live, the refusal is explained, and nothing was deleted
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("failed in the cleanup step", result.Errors, StringComparison.Ordinal);
        Assert.Matches(@"was refused: AccessDenied \(\d+ of \d+ keys refused in the DeleteObjects answer\)", result.Errors);
        Assert.Contains("may not s3:DeleteObject", result.Errors, StringComparison.Ordinal);
        Assert.Contains("Release r2 is live and recorded", result.Errors, StringComparison.Ordinal);
        Assert.Contains("assets/old.1234abcd.js", await KeysAsync(cloud.BucketC));
        Assert.Empty(await BucketState.LiveSiteProblemsAsync(cloud.AdminS3, cloud.BucketC, retain: 1));
        Assert.Equal("r2", (await BucketState.ReadAsync(cloud.AdminS3, cloud.BucketC)).LiveRelease);
        AssertNoSecretPrinted();
    }

    [Fact]
    public async Task Should_PutThePagesBackAndKeepTheLiveRelease_When_RecordingTheReleaseIsRefused()
    {
        // Given r1 live, deployed by the admin
        using var site = SiteFolder.Typical();
        Assert.Equal(ExitCodes.Success, (await DeployAsync(null, site, cloud.BucketD, "r1")).ExitCode);
        var before = await BucketState.ReadAsync(cloud.AdminS3, cloud.BucketD);

        // When r2 (two changed pages) is deployed by a role that may not write release records
        site.With("index.html", "<html>Home v2</html>").With("about/index.html", "<html>About v2</html>").With("assets/app.99999999.js", "v2");
        var result = await DeployAsync(cloud.NoRecords, site, cloud.BucketD, "r2");

        // Then the record's refusal is explained, the pages that had switched are back, the pointer names r1, nothing is deleted
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("failed in the record step", result.Errors, StringComparison.Ordinal);
        Assert.Contains($"may not s3:PutObject on arn:aws:s3:::{cloud.BucketD}/.keyless/releases/r2.json", result.Errors, StringComparison.Ordinal);
        Assert.Contains("copied back, so visitors get release r1 again", result.Errors, StringComparison.Ordinal);
        var after = await BucketState.ReadAsync(cloud.AdminS3, cloud.BucketD);
        Assert.Equal("r1", after.LiveRelease);
        Assert.All(before.Objects, o => Assert.Equal(o.Value.ETag, after.Objects[o.Key].ETag));
        Assert.Empty(await BucketState.LiveSiteProblemsAsync(cloud.AdminS3, cloud.BucketD));
        AssertNoSecretPrinted();
    }

    [Fact]
    public async Task Should_DeployChangeAndRollBack_When_TheBucketIsVersionedAndTheRoleHasTheDeployPolicy()
    {
        // Given r1 and a site-wide change r2 on a versioned bucket, by the deploy policy alone
        using var site = SiteFolder.Typical();
        var first = await DeployAsync(cloud.VersionedDeployer, site, cloud.BucketE, "r1");
        var home1 = await BucketState.TextAsync(cloud.AdminS3, cloud.BucketE, "index.html");
        site.With("index.html", "<html>Home v2</html>").With("about/index.html", "<html>About v2</html>");
        var second = await DeployAsync(cloud.VersionedDeployer, site, cloud.BucketE, "r2");

        // When rolling back
        var rollback = await RunAsync(cloud.VersionedDeployer, "rollback", "--bucket", cloud.BucketE);

        // Then every step went through, r1's page is served from its version, and no content copy was made
        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        Assert.True(rollback.ExitCode == ExitCodes.Success, rollback.ToString());
        Assert.Equal(home1, await BucketState.TextAsync(cloud.AdminS3, cloud.BucketE, "index.html"));
        Assert.Equal("r1", (await BucketState.ReadAsync(cloud.AdminS3, cloud.BucketE)).LiveRelease);
        Assert.DoesNotContain(await KeysAsync(cloud.BucketE), k => k.StartsWith(".keyless/content/", StringComparison.Ordinal));
        AssertNoSecretPrinted();
    }

    private async Task<CliResult> RunAsync(Credentials? session, params string[] arguments)
    {
        var result = await KeylessCli.RunAsync(cloud.Environment(session), null, arguments);
        _results.Add(result);
        return result;
    }

    private async Task<CliResult> DeployAsync(Credentials? session, SiteFolder site, string bucket, string release, params string[] more)
    {
        var result = await KeylessCli.RunAsync(cloud.Environment(session), null, ["deploy", "--site", site.Path, "--bucket", bucket, "--release", release, "--dotenv", Path.Combine(_work.Path, "deploy.env"), .. more]);
        _results.Add(result);
        return result;
    }

    /// <summary>No output of this test shows a secret key or session token (the admin's or a role session's).</summary>
    private void AssertNoSecretPrinted()
    {
        Assert.NotEmpty(_results);
        Assert.All(_results, r => Assert.All(cloud.Secrets, secret => Assert.DoesNotContain(secret, r.All, StringComparison.Ordinal)));
    }

    private async Task<IReadOnlyCollection<string>> KeysAsync(string bucket) => (await BucketState.ReadAsync(cloud.AdminS3, bucket)).Objects.Keys.ToList();
}
