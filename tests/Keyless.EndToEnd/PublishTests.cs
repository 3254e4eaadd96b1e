namespace Keyless.EndToEnd;

/// <summary><c>.ci/publish</c> refuses, before uploading anything, a release folder without the tool package, and on a
/// release tag a release whose version is not the tag's, or a component whose default version is not the release's.</summary>
public sealed class PublishTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("keyless-e2e-publish-").FullName;
    private PackageRegistry _registry = null!;
    private BuiltRelease _release = null!;

    public async Task InitializeAsync()
    {
        _release = await BuiltRelease.GetAsync();
        _registry = await PackageRegistry.StartAsync(Path.Combine(_work, "registry"));
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Should_RefuseAndUploadNothing_When_TheTagIsNotTheBuiltVersion()
    {
        var errors = await PublishAsync("v9.9.9");

        Assert.Contains($"the tag v9.9.9 does not match the built version {_release.Version}", errors, StringComparison.Ordinal);
        Assert.Empty(_registry.Requests);
    }

    [Fact]
    public async Task Should_RefuseAndUploadNothing_When_TheComponentsDefaultVersionIsNotTheRelease()
    {
        var errors = await PublishAsync("v" + _release.Version);

        Assert.Matches($@"templates/deploy\.yml: spec\.inputs\.version\.default is ""\d+\.\d+\.\d+"", but this release is {System.Text.RegularExpressions.Regex.Escape(_release.Version)}\.", errors);
        Assert.Empty(_registry.Requests);
        Assert.False(File.Exists(Path.Combine(_work, "release.env")));
    }

    [Fact]
    public async Task Should_RefuseAndUploadNothing_When_TheFolderHoldsTheConstructsButNotTheTool()
    {
        // Given: a release folder with only Keyless.Cdk, whose name also starts with "Keyless."
        var folder = Directory.CreateDirectory(Path.Combine(_work, "cdk-only")).FullName;
        File.Copy(Path.Combine(_release.Folder, $"Keyless.Cdk.{_release.Version}.nupkg"), Path.Combine(folder, $"Keyless.Cdk.{_release.Version}.nupkg"));

        var errors = await PublishAsync(tag: null, folder);

        Assert.Contains("expected one Keyless.<version>.nupkg in", errors, StringComparison.Ordinal);
        Assert.Empty(_registry.Requests);
    }

    private async Task<string> PublishAsync(string? tag, string? release = null)
    {
        var (_, errors) = await ReleaseProcess.RunWithErrorsAsync(Path.Combine(TheSystem.Repository, ".ci", "publish"), [release ?? _release.Folder], expectedExit: 2, folder: _work, environment: new Dictionary<string, string>
        {
            ["CI_API_V4_URL"] = _registry.ApiUrl,
            ["CI_PROJECT_ID"] = PackageRegistry.ProjectId,
            ["CI_PROJECT_PATH"] = "acme/keyless",
            ["CI_JOB_TOKEN"] = "a-job-token",
            ["CI_COMMIT_TAG"] = tag ?? "",
        });
        return errors;
    }
}
