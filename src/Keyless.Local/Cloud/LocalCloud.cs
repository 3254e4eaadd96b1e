using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Core.Processes;
using Keyless.Local.Issuer;
using Keyless.Local.Sts;
using Keyless.Trust.Analysis;

namespace Keyless.Local.Cloud;

/// <summary>Where the local cloud keeps its files, and which repository it serves.</summary>
/// <param name="RepositoryRoot">The project's folder, absolute: keyless.json and .gitlab-ci.yml.</param>
/// <param name="StateRoot">The state folder, absolute.</param>
/// <param name="Variables">The environment: <c>KEYLESS_CONFIG</c> (relative to the repository) names another keyless.json.</param>
public sealed record LocalCloudOptions(string RepositoryRoot, string StateRoot, Func<string, string?> Variables)
{
    public string LocalDirectory => Path.Combine(StateRoot, "local");

    public string CdkOutput => Path.Combine(LocalDirectory, "cdk.out");

    public string OutputsFile => Path.Combine(LocalDirectory, "cdk-outputs.json");
}

/// <summary>
/// The whole AWS and GitLab side on one machine: moto, the local GitLab issuer, the local STS in front of
/// moto, the stack synthesized from the repository and applied to moto with IAM enforcement on, and a
/// CloudFront stand-in per environment. Everything listens on 127.0.0.1, on ports of its own.
/// </summary>
public sealed class LocalCloud : IAsyncDisposable
{
    private const string AdminUser = "keyless-local-admin";
    private readonly List<IAsyncDisposable> _services = [];
    private readonly Dictionary<string, string> _siteUrls = new(StringComparer.Ordinal);
    private ImmutableCredentials _admin = LocalCloudClients.Setup;
    private AmazonS3Client? _cdnS3;

    private readonly string _configPath;

    private LocalCloud(LocalCloudOptions options, KeylessConfigLocation config)
    {
        Options = options;
        // The local cloud runs in the background: no standard input for KEYLESS_CONFIG=- to read.
        Config = ExpectationOverlap.VerifyDisjoint(KeylessConfigFile.Read(config, new InputFiles(options.RepositoryRoot, TextReader.Null)));
        _configPath = config.Path;
    }

    public LocalCloudOptions Options { get; }

    public KeylessConfig Config { get; }

    public MotoServer Moto { get; private set; } = null!;

    public LocalIssuer Issuer { get; private set; } = null!;

    public LocalSts Sts { get; private set; } = null!;

    public LocalApplyResult Stack { get; private set; } = null!;

    /// <summary>Each environment's local URL (its CloudFront stand-in).</summary>
    public IReadOnlyDictionary<string, string> SiteUrls => _siteUrls;

    public static async Task<LocalCloud> StartAsync(LocalCloudOptions options, Action<string> log, CancellationToken cancellationToken = default)
    {
        var config = KeylessConfigFile.Locate(option: null, options.Variables, options.RepositoryRoot)
            ?? throw KeylessConfigFile.Missing("The local cloud", options.RepositoryRoot);
        var cloud = new LocalCloud(options, config);
        try
        {
            await cloud.StartServicesAsync(log, cancellationToken);
            return cloud;
        }
        catch
        {
            await cloud.DisposeAsync();
            throw;
        }
    }

    /// <summary>An ID token as GitLab would give a job of this project on <paramref name="gitRef"/>.</summary>
    public string Mint(string gitRef, RefType type, string? environment = null) =>
        new LocalTokenMinter(Issuer.Key).Mint(new MintRequest(Issuer.Url, Config.GitLab.Project, gitRef, type, Config.GitLab.Audience)
        {
            ProjectId = Config.GitLab.ProjectId,
            NamespaceId = Config.GitLab.NamespaceId,
            RefProtected = true,
            Environment = environment,
            EnvironmentProtected = environment is not null,
        });

    /// <summary>The variables a pipeline job needs to reach the local cloud (the token is added per run).</summary>
    public IReadOnlyDictionary<string, string> JobVariables() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL_STS"] = Sts.Url,
        ["AWS_ENDPOINT_URL_S3"] = Moto.Url.ToString().TrimEnd('/'),
        ["AWS_REGION"] = "us-east-1",
        ["KEYLESS_OUTPUTS"] = Options.OutputsFile,
    };

    /// <summary>An S3 client with the local admin's credentials, for checks and the CloudFront stand-ins.</summary>
    public AmazonS3Client AdminS3() => LocalCloudClients.S3(Moto.Url, new BasicAWSCredentials(_admin.AccessKey, _admin.SecretKey));

    public async ValueTask DisposeAsync()
    {
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            await _services[i].DisposeAsync();
        }

        _services.Clear();
        _cdnS3?.Dispose();
    }

    private async Task StartServicesAsync(Action<string> log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Options.LocalDirectory);
        Moto = Track(await MotoServer.StartAsync(cancellationToken: cancellationToken));
        log($"moto_server      {Moto.Url}");
        Issuer = Track(await LocalIssuer.StartAsync(LocalState.IssuerDirectory(Options.StateRoot), cancellationToken: cancellationToken));
        log($"GitLab issuer    {Issuer.Url}");

        var template = await SynthesizeAsync(log, cancellationToken);
        Stack = await LocalCloudClients.ApplyAsync(Moto.Url, template, await File.ReadAllTextAsync(template, cancellationToken), Issuer.Url, cancellationToken);
        log($"stack applied    {Stack.StackName}: {Stack.Resources.Count} resources");

        // An administrator for the local services themselves, then IAM enforcement for everyone else.
        _admin = await Moto.EnforceIamWithAdministratorAsync(AdminUser, cancellationToken);

        Sts = Track(await LocalSts.StartAsync(new LocalStsOptions(Moto.Url) { GitLabComKeys = Stack.GitLabComKeys, IamCredentials = _admin, ForwardSigningCredentials = _admin }, cancellationToken));
        log($"STS              {Sts.Url} (checks tokens and trust policies like AWS; IAM enforced)");

        _cdnS3 = AdminS3();
        foreach (var environment in Config.Environments)
        {
            if (!Stack.Outputs.TryGetValue(StackOutputs.BucketNameKey(environment.Name), out var bucket))
            {
                continue;
            }

            var cdn = Track(await LocalCdn.StartAsync(_cdnS3, bucket, cancellationToken: cancellationToken));
            _siteUrls[environment.Name] = cdn.Url;
            log($"{environment.Name,-16} {cdn.Url} (bucket {bucket})");
        }

        await WriteOutputsAsync(cancellationToken);
    }

    // The outputs as `cdk deploy --outputs-file` writes them, with each environment's local URL.
    private async Task WriteOutputsAsync(CancellationToken cancellationToken)
    {
        var outputs = new Dictionary<string, string>(Stack.Outputs, StringComparer.Ordinal);
        foreach (var (environment, url) in _siteUrls)
        {
            outputs[StackOutputs.UrlKey(environment)] = url;
        }

        var document = new Dictionary<string, Dictionary<string, string>> { [Stack.StackName] = outputs };
        await File.WriteAllTextAsync(Options.OutputsFile, JsonSerializer.Serialize(document), cancellationToken);
    }

    private async Task<string> SynthesizeAsync(Action<string> log, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["CDK_OUTDIR"] = Options.CdkOutput,
            [KeylessConfigFile.Variable] = _configPath, // the stack of the config the local cloud read
            ["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20",
        };
        var result = await ToolProcess.RunAsync(
            "dotnet",
            ["run", "--project", "src/Keyless.Infrastructure", "--configuration", "Release"],
            Options.RepositoryRoot,
            environment,
            cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new KeylessException(FailureKind.Failed, $"Synthesizing the stack failed (exit {result.ExitCode}): {result.Output.Trim()}");
        }

        var template = Directory.GetFiles(Options.CdkOutput, "*.template.json").Single();
        log($"stack synthesized {Path.GetFileName(template)}");
        return template;
    }

    private T Track<T>(T service)
        where T : IAsyncDisposable
    {
        _services.Add(service);
        return service;
    }
}
