using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;
using Keyless.Identity;

namespace Keyless.Cli.Tests;

/// <summary>
/// A command's relative paths lead into its own working folder and <c>-</c> into its own standard input, both from
/// its services: runs in one process at once do not see each other's, nor the process's.
/// </summary>
public sealed class WorkingFolderTests : IDisposable
{
    private readonly TempFolder _main = new();
    private readonly TempFolder _tags = new();

    public WorkingFolderTests()
    {
        // The same relative name in both folders, with policies that admit different refs.
        File.Copy(Repo.Example("good-main-branch.json"), Path.Combine(_main.Path, "policy.json"));
        File.Copy(Repo.Example("good-release-tags.json"), Path.Combine(_tags.Path, "policy.json"));
    }

    public void Dispose()
    {
        _main.Dispose();
        _tags.Dispose();
    }

    [Fact]
    public async Task Should_GiveEachRunItsOwnFolderAndInput_When_RunsOverlap()
    {
        // Given: each folder's policy admits only its own claims; crossing either the folder or the input denies
        var main = await File.ReadAllTextAsync(Repo.Claims("main.json"));
        var tag = await File.ReadAllTextAsync(Repo.Claims("release-tag.json"));
        Assert.Equal(ExitCodes.Failed, (await SimulateAsync(_main.Path, tag)).ExitCode);
        Assert.Equal(ExitCodes.Failed, (await SimulateAsync(_tags.Path, main)).ExitCode);

        // When: many runs of both at once, on the thread pool
        var runs = Enumerable.Range(0, 24)
            .Select(i => i % 2 == 0 ? (Folder: _main.Path, Claims: main) : (Folder: _tags.Path, Claims: tag))
            .Select(run => Task.Run(() => SimulateAsync(run.Folder, run.Claims)))
            .ToList();
        var results = await Task.WhenAll(runs);

        // Then: every one was allowed, so each read its own policy.json and its own standard input
        Assert.All(results, result => CliAssert.ExitCode(ExitCodes.Success, result));
        Assert.All(results, result => Assert.StartsWith("Allow", result.Output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_NameThePathAsGivenAndTheWorkingFolder_When_ARelativeFileIsMissing()
    {
        var result = await KeylessCli.RunAsync(
            new KeylessServices { WorkingFolder = _main.Path, StandardInput = TextReader.Null },
            "trust", "simulate", "--policy", "policy.json", "--claims", "claims/missing.json", "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab, "--now", Repo.Now);

        CliAssert.UnusableInput(result);
        Assert.Contains("--claims claims/missing.json: no such file", result.Errors, StringComparison.Ordinal);
        Assert.Contains($"relative to {_main.Path}", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_WriteTheReportInTheWorkingFolder_When_OutputIsRelative()
    {
        // Given: a site in the working folder, named relatively
        Directory.CreateDirectory(Path.Combine(_main.Path, "web"));
        _main.Write("web/index.html", """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body><p>Hi</p></body></html>""");

        // When
        var result = await KeylessCli.RunAsync(
            new KeylessServices { WorkingFolder = _main.Path },
            "site", "check", "--site", "web", "--format", "json", "--output", "reports/site.json");

        // Then: the report is under the working folder, and the messages name the paths as given
        Assert.True(File.Exists(Path.Combine(_main.Path, "reports", "site.json")), result.ToString());
        Assert.Contains("report written to reports/site.json", result.Errors, StringComparison.Ordinal);
        Assert.StartsWith("web", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_main.Path, result.Output + result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ReadTheTokenFileInTheWorkingFolderAtTheServicesTime_When_TokenIsRelative()
    {
        // Given: the token (its claims expire an hour after Repo.Now) in the working folder, and the services' clock
        _main.Write("token.jwt", UnsignedJwt.For(await File.ReadAllTextAsync(Repo.Claims("main.json"))));
        var services = new KeylessServices
        {
            WorkingFolder = _main.Path,
            Environment = new NoVariables(),
            Time = FixedTimeProvider.AtUnixSeconds(long.Parse(Repo.Now, System.Globalization.CultureInfo.InvariantCulture) + 600),
        };

        // When
        var result = await KeylessCli.RunAsync(services, "token", "inspect", "--token", "token.jwt", "--format", "json");

        // Then: read from the working folder, and judged at the services' time (50 minutes left), not the system's
        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.Contains("\"expiresInSeconds\": 3000", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"expired\": false", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_KeepTheStateInTheWorkingFolder_When_TheStateVariableIsRelative()
    {
        var services = new KeylessServices { WorkingFolder = _main.Path, Environment = new NoVariables(("KEYLESS_STATE_DIR", "state")) };

        var result = await KeylessCli.RunAsync(services, "local", "token", "--issuer", "http://127.0.0.1:8089", "--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--aud", "sts.amazonaws.com");

        CliAssert.ExitCode(ExitCodes.Success, result);
        Assert.True(File.Exists(Path.Combine(_main.Path, "state", "local", "issuer", "signing-key.pem")), result.ToString());
    }

    private static async Task<CliResult> SimulateAsync(string folder, string claims)
    {
        using var input = new StringReader(claims);
        return await KeylessCli.RunAsync(
            new KeylessServices { WorkingFolder = folder, StandardInput = input },
            "trust", "simulate", "--policy", "policy.json", "--claims", "-", "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab, "--now", Repo.Now);
    }

    /// <summary>An environment with only the given variables: none of the process's.</summary>
    private sealed class NoVariables(params (string Name, string Value)[] set) : IEnvironment
    {
        public string? Variable(string name) => set.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();
    }
}
