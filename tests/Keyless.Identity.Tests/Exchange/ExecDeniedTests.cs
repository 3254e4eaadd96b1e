using Keyless.Identity.Exchange;
using Keyless.Testing;

namespace Keyless.Identity.Tests.Exchange;

/// <summary><c>keyless exec</c> as a separate process when STS refuses: exit 1, the explanation on standard error, the command not run.</summary>
public sealed class ExecDeniedTests : IAsyncLifetime
{
    private readonly Leaks _leaks = new();
    private FakeSts _sts = null!;

    public async Task InitializeAsync()
    {
        _sts = await FakeSts.StartAsync();
        _leaks.Secret("secret access key", _sts.SecretAccessKey);
        _leaks.Secret("session token", _sts.SessionToken);
    }

    public async Task DisposeAsync() => await _sts.DisposeAsync();

    [Fact]
    public async Task Should_Explain_The_Denial_With_The_Policy_And_Exit_1_When_Access_Is_Denied()
    {
        // Given: a feature-branch token for a role that admits main only
        using var workingDirectory = new TempFolder();
        var token = JobTokens.Sign("feature/login", now: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        _leaks.Secret("ID token", token);
        _sts.Enqueue(FakeAnswer.Error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EnvironmentNames.IdToken] = token,
            [EnvironmentNames.EndpointUrlSts] = _sts.Url,
        };
        var policy = Repository.Path("examples", "trust", "good-main-branch.json");

        // When
        var run = await KeylessProcess.RunAsync(workingDirectory.Path,
            ["exec", "--role", "arn:aws:iam::111122223333:role/deploy", "--policy", policy, "--", "sh", "-c", "echo ran"], environment: environment);
        _leaks.Seen("keyless's standard output", run.Output);
        _leaks.Seen("keyless's standard error", run.Errors);

        // Then
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Single(_sts.Calls);
        Assert.Contains("AccessDenied", run.Errors, StringComparison.Ordinal);
        Assert.Contains("gitlab.com:sub", run.Errors, StringComparison.Ordinal);
        Assert.Contains("\"project_path:acme/website:ref_type:branch:ref:feature/login\"", run.Errors, StringComparison.Ordinal);
        Assert.Contains("\"project_path:acme/website:ref_type:branch:ref:main\"", run.Errors, StringComparison.Ordinal);
        Assert.Contains("fix:", run.Errors, StringComparison.Ordinal);
        _leaks.AssertNone();
    }
}
