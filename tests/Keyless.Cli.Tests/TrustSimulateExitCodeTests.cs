using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary>Every decision of <c>trust simulate</c> maps to its exit code: 0 for Allow, 1 for any other answer.</summary>
public sealed class TrustSimulateExitCodeTests
{
    private static readonly string MainBranchPolicy = Repo.Example("good-main-branch.json");

    [Fact]
    public async Task Should_ExitZero_When_MainBranchTokenMeetsMainBranchPolicy()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(MainBranchPolicy, Repo.Claims("main.json"), "--format", "json");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains("\"decision\": \"Allow\"", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ExitOneWithAccessDenied_When_FeatureBranchTokenMeetsMainBranchPolicy()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(MainBranchPolicy, Repo.Claims("feature-branch.json"), "--format", "json");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        Assert.Contains("\"decision\": \"AccessDenied\"", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ExitOneWithAccessDenied_When_OtherNamespaceTokenMeetsMainBranchPolicy()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(MainBranchPolicy, Repo.Claims("other-namespace.json"), "--format", "json");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        Assert.Contains("\"decision\": \"AccessDenied\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitZero_When_OtherNamespaceTokenMeetsNamespacePrefixPolicy()
    {
        // The hijack: project_path:acme* also matches acme-evil/website, so a stranger's token gets in.
        var result = await TrustRuns.SimulateOnGitLabAsync(Repo.Example("bad-namespace-prefix.json"), Repo.Claims("other-namespace.json"), "--format", "json");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains("\"decision\": \"Allow\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitOneWithInvalidIdentityToken_When_ClientIdDoesNotListTheAudience()
    {
        var result = await TrustRuns.SimulateAsync(
            MainBranchPolicy, Repo.Claims("main.json"),
            "--provider-url", TrustRuns.GitLab, "--client-id", "sts.amazonaws.com", "--now", Repo.Now, "--format", "json");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        Assert.Contains("\"decision\": \"InvalidIdentityToken\"", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ExitOneWithExpiredToken_When_NowIsLongAfterExpiry()
    {
        var result = await TrustRuns.SimulateAsync(
            MainBranchPolicy, Repo.Claims("main.json"),
            "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab, "--now", "1993456000", "--format", "json");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        Assert.Contains("\"decision\": \"ExpiredTokenException\"", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ExitOneWithValidationError_When_RoleSessionNameIsTooShort()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(MainBranchPolicy, Repo.Claims("main.json"), "--role-session-name", "a", "--format", "json");

        CliAssert.ExitCode(ExitCodes.Failed, result);
        Assert.Contains("\"decision\": \"ValidationError\"", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Should_ExitZero_When_PolicyIsGetRoleOutput()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(Repo.Example("bad-get-role-long-session.json"), Repo.Claims("main.json"));

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains("website-deploy-legacy", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitZero_When_TemplateDeclaresTheProviderAndRoleIsPicked()
    {
        var result = await TrustRuns.SimulateAsync(
            Repo.Example("bad-template-audience.json"), Repo.Claims("main.json"), "--role", "WebsiteDeployRole", "--now", Repo.Now);

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Empty(result.Errors);
    }
}
