using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Keyless.Local.Cloud;
using Keyless.Local.Issuer;
using Keyless.Local.Pipeline;
using Keyless.Local.Sts;
using Keyless.Testing;
using Xunit.Abstractions;

namespace Keyless.EndToEnd;

/// <summary>
/// A new user's path, as docs/getting-started.md describes it, with nothing of this repository but what a release
/// publishes: a throwaway repository holding only a static site and a gitlab.com remote; keyless installed from the
/// release's NuGet feed; <c>keyless init --yes</c>; <c>keyless trust check</c> on the template it wrote; the template
/// applied to a local cloud of its own (moto with IAM enforced, the local issuer standing in for gitlab.com, the local
/// STS, a CloudFront stand-in); the generated <c>.gitlab-ci.yml</c> run by gitlab-ci-local, its jobs installing keyless
/// from the feed and its deploy job from the component downloading the release binary; and a token of another
/// project refused. The CDK form of the AWS side is <c>CdkPackageTests</c> (Keyless.Infrastructure.Tests).
/// </summary>
/// <remarks>
/// The local cloud is not <see cref="TheSystem"/>'s: that one's moto enforces IAM before any test starts, and
/// <c>keyless local apply</c> creates a stack with moto's set-up credentials, as a new user's first apply does.
/// </remarks>
public sealed class NewUserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string JobToken = "job-token-for-the-new-user-registry";
    // The guide's commands (docs/getting-started.md), for the guide's project, acme/website with ID 61425730.
    private const string Init = "init --project-id 61425730 --aws-account 111122223333 --region eu-central-1 --yes";
    private const string TrustCheck = "trust check keyless.template.json --config keyless.json";
    private const string ProjectId = "61425730";
    private static readonly string[] InitFiles = ["keyless.json", ".gitlab-ci.yml", "keyless.template.json"];
    private static readonly string[] MainJobs = ["validate", "build", "test", "deploy-staging"];

    private readonly string _work = Directory.CreateTempSubdirectory("keyless-e2e-new-user-").FullName;
    private readonly List<IAsyncDisposable> _services = [];
    private readonly ConcurrentQueue<LocalStsDecision> _decisions = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            await _services[i].DisposeAsync();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Should_DeployStagingAndAdmitOnlyThatProject_When_ANewUserFollowsTheGuideWithTheRelease()
    {
        // Given: the release published as the tag pipeline publishes it, to a stand-in for GitLab's package registry
        var release = await BuiltRelease.GetAsync();
        var clock = Stopwatch.StartNew(); // the release is built once for every test that needs it
        var registry = Track(await PackageRegistry.StartAsync(Path.Combine(_work, "registry")));
        var feed = registry.NuGetFeed("acme/keyless");
        var nuget = new Dictionary<string, string>
        {
            // A NuGet cache of this test's own, so that every install really reads the feed.
            ["NUGET_PACKAGES"] = Directory.CreateDirectory(Path.Combine(_work, "nuget-packages")).FullName,
            ["NUGET_HTTP_CACHE_PATH"] = Directory.CreateDirectory(Path.Combine(_work, "nuget-http")).FullName,
        };
        await ReleaseProcess.RunAsync(Path.Combine(TheSystem.Repository, ".ci", "publish"), [release.Folder], folder: _work, environment: new Dictionary<string, string>
        {
            ["CI_API_V4_URL"] = registry.ApiUrl,
            ["CI_PROJECT_ID"] = PackageRegistry.ProjectId,
            ["CI_JOB_TOKEN"] = JobToken,
        });
        Assert.Equal(2, registry.Requests.Count(r => r == $"PUT /api/v4/projects/{PackageRegistry.ProjectId}/packages/nuget/ (token)"));

        // And a repository with only a static site and a gitlab.com remote
        var repository = Directory.CreateDirectory(Path.Combine(_work, "website")).FullName;
        var marker = $"The website of acme {Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.Combine(repository, "site"));
        await File.WriteAllTextAsync(Path.Combine(repository, "site", "index.html"), $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Website</title></head><body><h1>{marker}</h1></body></html>\n");
        await GitAsync(repository, "init", "-q", "-b", "main");
        await GitAsync(repository, "remote", "add", "origin", "git@gitlab.com:acme/website.git");
        // GitLab's feed is https; NuGet reads this stand-in's http feed only when a nuget.config allows it.
        await File.WriteAllTextAsync(Path.Combine(repository, "nuget.config"), PackageRegistry.NuGetConfig(feed));

        // And keyless installed from the feed, as docs/install.md shows
        var tools = Path.Combine(_work, "tools");
        await ReleaseProcess.RunAsync("dotnet", ["tool", "install", "Keyless", "--tool-path", tools, "--version", release.Version, "--add-source", feed], folder: repository, environment: nuget);
        var keyless = Path.Combine(tools, "keyless");
        Assert.Contains(registry.Requests, r => r.EndsWith($"/packages/nuget/download/keyless/{release.Version}/keyless.{release.Version}.nupkg", StringComparison.Ordinal));
        var installed = clock.Elapsed;

        // When: init, with what only the user knows; the component named because a build that is not a release
        // would name the latest release (@~latest), which this stand-in cannot resolve
        var guide = await File.ReadAllTextAsync(Path.Combine(TheSystem.Repository, "docs", "getting-started.md"));
        Assert.Contains($"keyless {Init}\n", guide, StringComparison.Ordinal);
        Assert.Contains($"keyless {TrustCheck}\n", guide, StringComparison.Ordinal);
        var init = await ReleaseProcess.RunAsync(keyless, [.. Init.Split(' '), "--component", "$CI_SERVER_FQDN/acme/keyless/deploy@" + release.Version], folder: repository);
        var check = await ReleaseProcess.RunAsync(keyless, [.. TrustCheck.Split(' '), "--format", "json"], folder: repository);

        // Then: the three files, and the roles of the template admit exactly acme/website (its ID too), main for staging
        // and the tags v* for production, protected
        Assert.Contains("GitLab project acme/website on https://gitlab.com, AWS account 111122223333 in eu-central-1", init, StringComparison.Ordinal);
        Assert.All(InitFiles, file => Assert.Contains($"created   {file}", init, StringComparison.Ordinal));
        var roles = JsonNode.Parse(check)!["roles"]!.AsArray().ToDictionary(r => (string)r!["role"]!, r => r!["admitted"]!.AsArray().Single()!);
        Assert.Equal(["ProductionDeployRole", "StagingDeployRole"], roles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("exact", (string)roles["StagingDeployRole"]["refs"]!["kind"]!);
        AssertAdmits(roles["StagingDeployRole"], "branch", "main");
        AssertAdmits(roles["ProductionDeployRole"], "tag", "v*");

        // When: the template is applied to the local cloud, as an administrator creates the stack once
        var moto = Track(await MotoServer.StartAsync());
        var issuer = Track(await LocalIssuer.StartAsync(LocalState.IssuerDirectory(Path.Combine(_work, "state"))));
        var outputsFile = Path.Combine(_work, "cdk-outputs.json");
        var applied = JsonNode.Parse(await ReleaseProcess.RunAsync(keyless, ["local", "apply", "--template", "keyless.template.json", "--endpoint", moto.Url.ToString(), "--issuer", issuer.Url, "--outputs", outputsFile, "--format", "json"], folder: repository))!;
        var outputs = applied["outputs"]!.AsObject().ToDictionary(o => o.Key, o => (string)o.Value!);
        var administrator = await moto.EnforceIamWithAdministratorAsync("keyless-e2e-admin");
        var sts = Track(await LocalSts.StartAsync(new LocalStsOptions(moto.Url) { GitLabComKeys = (bool)applied["gitLabComKeys"]!, IamCredentials = administrator, ForwardSigningCredentials = administrator }));
        sts.Decided += _decisions.Enqueue;
        using var s3 = LocalCloudClients.S3(moto.Url, new BasicAWSCredentials(administrator.AccessKey, administrator.SecretKey));
        var staging = Track(await LocalCdn.StartAsync(s3, outputs["StagingBucketName"]));
        var awsSide = clock.Elapsed;

        // And the pipeline init wrote runs for a push to main, its component included from a copy of the component
        // of that release (GitLab would fetch it from the keyless project at that version), with the job's ID token
        var project = await CommitAsync(repository, release.Version);
        var token = Mint(issuer, "acme/website", ProjectId, environment: "staging");
        var secrets = new Dictionary<string, string>
        {
            ["the job's ID token"] = token,
            ["CI_JOB_TOKEN"] = JobToken,
            ["the administrator's secret key"] = administrator.SecretKey,
            ["a session token"] = SecretFiles.MotoSessionTokenPrefix,
        };
        var (run, leftInWorkspace) = await RunPipelineAsync(project, registry, token, nuget, secrets, [
            new PipelineVariable("AWS_ENDPOINT_URL_STS", sts.Url),
            new PipelineVariable("AWS_ENDPOINT_URL_S3", moto.Url.ToString().TrimEnd('/')),
            new PipelineVariable("AWS_REGION", "us-east-1"),
            new PipelineVariable("KEYLESS_OUTPUTS", outputsFile),
        ]);
        using var http = new HttpClient();
        var served = await http.GetStringAsync(new Uri(staging.Url + "/"));
        var pipeline = clock.Elapsed;

        // Then: every job of the main pipeline passed, each keyless from the release, and the CDN serves the site
        Assert.True(run.Succeeded, run.Output);
        Assert.All(MainJobs, job => Assert.Equal(JobStatus.Passed, run[job]));
        Assert.Equal(JobStatus.NotInPipeline, run["deploy-production"]);
        Assert.Contains($"keyless: {release.FileName("linux-x64")} verified", run.Output, StringComparison.Ordinal);
        Assert.Contains($"GET /api/v4/projects/acme%2Fkeyless/packages/generic/keyless/{release.Version}/{release.FileName("linux-x64")} (token)", registry.Requests);
        Assert.Contains(marker, served, StringComparison.Ordinal);
        Assert.Contains(_decisions, d => d.Allowed && d.RoleArn == outputs["StagingRoleArn"]);
        Assert.DoesNotContain(JobToken, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, run.Output, StringComparison.Ordinal);

        // And no secret is left in a file: not in the pipeline's clone (job logs, scripts, artifacts, the downloaded
        // keyless), not in the test's own folder (the user's repository, the installed keyless, the stack's outputs)
        Assert.Empty(leftInWorkspace);
        Assert.Empty(SecretFiles.Holding(_work, secrets));

        // When: a job of another project, on its own protected main, asks for the staging role
        var other = Mint(issuer, "acme-rival/website", "70000002", environment: "staging");
        var error = await AssumeAsync(sts.Url, outputs["StagingRoleArn"], other);

        // Then: AccessDenied, the STS naming the conditions that failed
        Assert.Equal("AccessDenied", error);
        var refused = _decisions.Last(d => !d.Allowed);
        Assert.Contains(":sub", refused.Detail, StringComparison.Ordinal);
        Assert.Contains("project_id", refused.Detail, StringComparison.Ordinal);

        output.WriteLine($"new user: keyless installed {installed.TotalSeconds:F0} s, AWS side {awsSide.TotalSeconds:F0} s, pipeline {pipeline.TotalSeconds:F0} s, all {clock.Elapsed.TotalSeconds:F0} s (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}); refused: {refused.Detail}");
    }

    private static void AssertAdmits(JsonNode admitted, string refType, string gitRef)
    {
        Assert.Equal("https://gitlab.com", (string)admitted["provider"]!);
        Assert.Equal(["acme/website"], admitted["projects"]!["values"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(refType, (string)admitted["refType"]!);
        var refs = admitted["refs"]!;
        Assert.Equal([gitRef], refs[(string)refs["kind"]! == "pattern" ? "patterns" : "values"]!.AsArray().Select(v => (string)v!));
        Assert.Equal([ProjectId], admitted["otherClaims"]!["project_id"]!["values"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["true"], admitted["otherClaims"]!["ref_protected"]!["values"]!.AsArray().Select(v => (string)v!));
    }

    /// <summary>What the user commits: init's files; here also the component of the release and its include pointed at it.</summary>
    private static async Task<string> CommitAsync(string repository, string version)
    {
        var pipelineFile = Path.Combine(repository, ".gitlab-ci.yml");
        var reference = $"$CI_SERVER_FQDN/acme/keyless/deploy@{version}";
        var pipeline = await File.ReadAllTextAsync(pipelineFile);
        Assert.Contains($"component: {reference}", pipeline, StringComparison.Ordinal);
        await File.WriteAllTextAsync(pipelineFile, pipeline.Replace(reference, "$CI_SERVER_FQDN/$CI_PROJECT_PATH/deploy@$CI_COMMIT_SHA", StringComparison.Ordinal));

        // The component as its release has it: .ci/publish refuses a tag whose version is not the component's default.
        var component = await File.ReadAllTextAsync(Path.Combine(TheSystem.Repository, "templates", "deploy.yml"));
        var released = System.Text.RegularExpressions.Regex.Replace(component, "(\n    version:\n(?:      .*\n)*?      default: )\"[^\"]*\"", m => $"{m.Groups[1].Value}\"{version}\"");
        Assert.NotEqual(component, released);
        Directory.CreateDirectory(Path.Combine(repository, "templates"));
        await File.WriteAllTextAsync(Path.Combine(repository, "templates", "deploy.yml"), released);

        await GitAsync(repository, "add", "-A");
        await GitAsync(repository, "-c", "user.name=e2e", "-c", "user.email=e2e@keyless.invalid", "commit", "-q", "-m", "Deploy with keyless");
        return repository;
    }

    /// <summary>The pipeline's result, and the secrets found in the files of its workspace before it is deleted.</summary>
    private static async Task<(LocalPipelineResult Run, IReadOnlyList<string> Secrets)> RunPipelineAsync(string project, PackageRegistry registry, string token, IReadOnlyDictionary<string, string> nuget, IReadOnlyDictionary<string, string> secrets, IReadOnlyList<PipelineVariable> cloud)
    {
        var tools = await LocalTools.EnsureAsync(TheSystem.Repository);
        using var workspace = await PipelineWorkspace.CreateAsync(project, PipelineRef.Branch("main"));
        var variables = cloud
            .Concat(nuget.Select(v => new PipelineVariable(v.Key, v.Value)))
            .Append(new PipelineVariable("CI_API_V4_URL", registry.ApiUrl))
            .Append(new PipelineVariable("CI_JOB_TOKEN", JobToken, Secret: true))
            .Append(new PipelineVariable("KEYLESS_ID_TOKEN", token, Secret: true))
            .ToList();
        var run = await new LocalPipelineRun(tools, workspace).RunAsync(new LocalPipelineRequest { Variables = variables });
        return (run, SecretFiles.Holding(workspace.Root, secrets));
    }

    private static string Mint(LocalIssuer issuer, string project, string projectId, string environment) =>
        new LocalTokenMinter(issuer.Key).Mint(new MintRequest(issuer.Url, project, "main", RefType.Branch, "sts.amazonaws.com")
        {
            ProjectId = projectId,
            RefProtected = true,
            Environment = environment,
            EnvironmentProtected = true,
        });

    private static async Task<string?> AssumeAsync(string stsUrl, string roleArn, string token)
    {
        using var sts = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { ServiceURL = stsUrl, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        try
        {
            await sts.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest { RoleArn = roleArn, RoleSessionName = "keyless-e2e", WebIdentityToken = token, DurationSeconds = 900 });
            return null;
        }
        catch (AmazonSecurityTokenServiceException e)
        {
            return e.ErrorCode;
        }
    }

    private static Task<string> GitAsync(string folder, params string[] arguments) => ReleaseProcess.RunAsync("git", arguments, folder: folder);

    private T Track<T>(T service)
        where T : IAsyncDisposable
    {
        _services.Add(service);
        return service;
    }
}
