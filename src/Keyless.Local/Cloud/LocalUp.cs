using Keyless.Core;
using Keyless.Local.Issuer;
using Keyless.Local.Pipeline;

namespace Keyless.Local.Cloud;

/// <summary>One pipeline run of <see cref="LocalUp"/>: the ref, the environment it deployed and the jobs.</summary>
public sealed record LocalUpRun(PipelineRef Ref, string Environment, LocalPipelineResult Result);

/// <summary>
/// The whole system on one machine: the local cloud up, then the repository's real <c>.gitlab-ci.yml</c> run
/// by gitlab-ci-local for the default branch (deploying staging) and for a release tag (deploying
/// production), each deploy job holding only an ID token minted for exactly that project and ref.
/// </summary>
public static class LocalUp
{
    public const string ReleaseTag = "v1.0.0";

    public static async Task<(LocalCloud Cloud, IReadOnlyList<LocalUpRun> Runs)> RunAsync(LocalCloudOptions options, Action<string> log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tools = await LocalTools.EnsureAsync(options.RepositoryRoot, log, cancellationToken);
        var cloud = await LocalCloud.StartAsync(options, log, cancellationToken);
        try
        {
            var runs = new List<LocalUpRun>
            {
                await RunPipelineAsync(cloud, tools, PipelineRef.Branch(cloud.Config.GitLab.DefaultBranch), "staging", [], log, cancellationToken),
                await RunPipelineAsync(cloud, tools, PipelineRef.Tag(ReleaseTag), "production", ["deploy-production"], log, cancellationToken),
            };
            return (cloud, runs);
        }
        catch
        {
            await cloud.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the pipeline for <paramref name="gitRef"/>; the deploy job's token is minted for that ref and environment.</summary>
    public static async Task<LocalUpRun> RunPipelineAsync(LocalCloud cloud, LocalTools tools, PipelineRef gitRef, string environment, IReadOnlyList<string> manual, Action<string> log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloud);
        log($"pipeline for {gitRef} (deploys {environment})");
        using var workspace = await PipelineWorkspace.CreateAsync(cloud.Options.RepositoryRoot, gitRef, cancellationToken: cancellationToken);
        var token = cloud.Mint(gitRef.Name, gitRef.IsTag ? RefType.Tag : RefType.Branch, environment);
        var variables = cloud.JobVariables().Select(v => new PipelineVariable(v.Key, v.Value))
            .Append(new PipelineVariable("KEYLESS_ID_TOKEN", token, Secret: true))
            .ToList();
        var result = await new LocalPipelineRun(tools, workspace).RunAsync(new LocalPipelineRequest { Variables = variables, Manual = manual, OnOutput = log }, cancellationToken);
        if (!result.Succeeded)
        {
            var failed = string.Join(", ", result.Jobs.Where(j => j.Status == JobStatus.Failed).Select(j => j.Name));
            throw new KeylessException(FailureKind.Failed, $"The pipeline for {gitRef} failed (jobs: {(failed.Length > 0 ? failed : "none reported")}; gitlab-ci-local exit {result.ExitCode}). Its log is above.");
        }

        return new LocalUpRun(gitRef, environment, result);
    }
}
