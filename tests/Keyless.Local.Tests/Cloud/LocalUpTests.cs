using Keyless.Local.Cloud;
using Keyless.Local.Pipeline;
using Keyless.Local.Tests.Pipeline;

namespace Keyless.Local.Tests.Cloud;

/// <summary>What <c>keyless local up</c> asks gitlab-ci-local for, for each of its two pipelines.</summary>
[Collection(PipelineRuns.Name)]
public sealed class LocalUpTests(PipelineTools fixture)
{
    [Theory]
    [InlineData(false, new string[0], false)]
    [InlineData(true, new[] { "deploy-production" }, true)]
    public async Task Should_RunBuildAndTestSideBySide_When_ItRunsTheRepositorysPipeline(bool tag, string[] manual, bool lowPriority)
    {
        // Given
        var gitRef = tag ? PipelineRef.Tag(LocalUp.ReleaseTag) : PipelineRef.Branch("main");
        using var repo = ScratchRepository.FromWorkingTree(".gitlab-ci.yml");
        using var workspace = await PipelineWorkspace.CreateAsync(repo.Path, gitRef, new PipelineWorkspaceOptions { ProjectPath = "keyless-demo/website" });

        // When
        var request = LocalUp.PipelineRequest(gitRef, [new("KEYLESS_ID_TOKEN", "secret-token", Secret: true)], manual, new LocalUpProgress { Log = _ => { } }, lowPriority);
        var arguments = new LocalPipelineRun(fixture.Tools, workspace).Arguments(request);

        // Then: the whole pipeline, two jobs at once (build and test, which need only validate), the manual job started
        Assert.Empty(request.Jobs);
        Assert.Equal(2, request.Concurrency);
        Assert.Equal(["--concurrency", "2"], arguments.SkipWhile(a => a != "--concurrency").Take(2));
        Assert.Equal(manual, arguments.Select((a, i) => (a, i)).Where(p => p.a == "--manual").Select(p => arguments[p.i + 1]));
        Assert.Equal(lowPriority, request.LowPriority);
        Assert.DoesNotContain(arguments, a => a.Contains("secret-token", StringComparison.Ordinal));
    }
}
