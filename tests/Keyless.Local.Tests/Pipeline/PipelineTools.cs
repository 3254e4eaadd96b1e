using Keyless.Local.Pipeline;
using Keyless.Testing;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>gitlab-ci-local 4.73.0 and rsync, made present once for the pipeline tests (npm ci on a fresh machine).</summary>
public sealed class PipelineTools : IAsyncLifetime
{
    public static string RepositoryRoot { get; } = Repository.Root;

    public LocalTools Tools { get; private set; } = null!;

    public async Task InitializeAsync() => Tools = await LocalTools.EnsureAsync(RepositoryRoot);

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PipelineRuns : ICollectionFixture<PipelineTools>
{
    /// <summary>One collection: gitlab-ci-local runs take a core each, and the machine has two.</summary>
    public const string Name = "Pipeline";
}
