using System.Diagnostics;
using Keyless.Cli.Commands.Local;
using Keyless.Cli.Tests.Support;
using Keyless.Core;
using Keyless.Local.Issuer;

namespace Keyless.Cli.Tests;

public sealed class LocalCommandTests : IDisposable
{
    private readonly TokenFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Should_Print_A_Token_Alone_That_Verifies_Against_The_Running_Issuer()
    {
        // Given: an issuer running for the state folder
        await using var issuer = await LocalIssuer.StartAsync(LocalState.IssuerDirectory(_fixture.Folder));

        // When
        var minted = await KeylessCli.RunAsync("local", "token", "--state", _fixture.Folder, "--project", "acme/website", "--ref", "v1.0.0", "--ref-type", "tag", "--aud", "sts.amazonaws.com", "--environment", "production", "--protected", "true");
        var token = minted.Output.TrimEnd('\n');
        var verified = await KeylessCli.RunAsync("token", "verify", "--token", _fixture.Write(token), "--issuer", issuer.Url, "--client-id", "sts.amazonaws.com");

        // Then
        Assert.Equal(0, minted.ExitCode);
        Assert.DoesNotContain('\n', token);
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(0, verified.ExitCode);
        Assert.Contains("project acme/website, ref type tag, ref v1.0.0", verified.Output, StringComparison.Ordinal);
        Assert.StartsWith("warning:", verified.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("warning:", verified.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--project", "acme", "--ref", "main", "--ref-type", "branch")]
    [InlineData("--project", "acme/web site", "--ref", "main", "--ref-type", "branch")]
    [InlineData("--project", "acme/website", "--ref", "bad..ref", "--ref-type", "branch")]
    [InlineData("--project", "acme/website", "--ref", "main", "--ref-type", "commit")]
    [InlineData("--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--protected", "yes")]
    [InlineData("--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--pipeline-source", "carrier-pigeon")]
    [InlineData("--ref", "main", "--ref-type", "branch")]
    public async Task Should_Exit_2_When_The_Job_Description_Is_Unusable(params string[] options)
    {
        // When
        var result = await KeylessCli.RunAsync(["local", "token", "--state", _fixture.Folder, "--issuer", "http://127.0.0.1:5999", "--aud", "sts.amazonaws.com", .. options]);

        // Then
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains("error:", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Write_The_Given_Ids_When_ProjectId_And_NamespaceId_Are_Set()
    {
        // When
        var minted = await KeylessCli.RunAsync("local", "token", "--state", _fixture.Folder, "--issuer", "http://127.0.0.1:5999", "--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--aud", "sts.amazonaws.com", "--project-id", "61425730", "--namespace-id", "98765432");
        var claims = Keyless.Identity.IdToken.Decode(minted.Output.Trim()).Claims;

        // Then: the ids AWS exposes as gitlab.com:project_id and :namespace_id, and the job's copies
        Assert.Equal(0, minted.ExitCode);
        Assert.Equal("61425730", claims.Single("project_id"));
        Assert.Equal("61425730", claims.Single("job_project_id"));
        Assert.Equal("98765432", claims.Single("namespace_id"));
        Assert.Equal("98765432", claims.Single("job_namespace_id"));
    }

    [Theory]
    [InlineData("--project-id", "abc")]
    [InlineData("--project-id", "-5")]
    [InlineData("--namespace-id", "12.5")]
    [InlineData("--namespace-id", "0x10")]
    public async Task Should_Exit_2_Naming_The_Option_When_An_Id_Is_Not_Numeric(string option, string value)
    {
        // When
        var result = await KeylessCli.RunAsync("local", "token", "--state", _fixture.Folder, "--issuer", "http://127.0.0.1:5999", "--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--aud", "sts.amazonaws.com", $"{option}={value}");

        // Then
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.StartsWith($"error: {option} {value}: expected GitLab's numeric ID", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Exit_2_When_No_Issuer_Runs_And_None_Is_Given()
    {
        // When
        var result = await KeylessCli.RunAsync("local", "token", "--state", _fixture.Folder, "--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--aud", "sts.amazonaws.com");

        // Then
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("keyless local issuer", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Stop_The_Recorded_Local_Up_When_Down_Runs()
    {
        // Given: a running process recorded as a detached `keyless local up`
        using var background = Process.Start("sleep", "300");
        Record(background.Id);

        // When
        var result = await KeylessCli.RunAsync("local", "down", "--state", _fixture.Folder);

        // Then: it is stopped and its record removed
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"stopped process {background.Id}", result.Output, StringComparison.Ordinal);
        Assert.True(background.WaitForExit(5_000));
        Assert.Null(LocalUpRecord.Read(_fixture.Folder));
    }

    [Fact]
    public async Task Should_Fail_And_Say_How_To_Stop_It_By_Hand_When_Local_Up_Does_Not_Stop_In_Time()
    {
        // Given: a recorded `local up` that ignores SIGTERM, and a short stop time-out
        using var stubborn = Process.Start(new ProcessStartInfo("sh", ["-c", "trap '' TERM; echo ready; exec sleep 300"]) { RedirectStandardOutput = true })!;
        Assert.Equal("ready", await stubborn.StandardOutput.ReadLineAsync());
        var saved = LocalDownCommand.StopTimeout;
        LocalDownCommand.StopTimeout = TimeSpan.FromSeconds(1);
        try
        {
            Record(stubborn.Id);

            // When
            var result = await KeylessCli.RunAsync("local", "down", "--state", _fixture.Folder);

            // Then: a failure (not a user cancel) naming the process and the way to stop it; the record is kept
            Assert.Equal(ExitCodes.Failed, result.ExitCode);
            Assert.DoesNotContain("cancelled", result.All, StringComparison.Ordinal);
            Assert.Contains($"(process {stubborn.Id}) did not stop within 1 s", result.Errors, StringComparison.Ordinal);
            Assert.Contains($"kill {stubborn.Id}", result.Errors, StringComparison.Ordinal);
            Assert.False(stubborn.HasExited);
            Assert.NotNull(LocalUpRecord.Read(_fixture.Folder));
        }
        finally
        {
            LocalDownCommand.StopTimeout = saved;
            stubborn.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Should_Leave_Another_Program_Alone_When_The_Recorded_Process_Id_Was_Reused()
    {
        // Given: a record older than the process that now has its ID (the recorded `local up` died, the ID was reused)
        using var other = Process.Start("sleep", "300");
        try
        {
            Record(other.Id);
            File.SetLastWriteTimeUtc(Path.Combine(_fixture.Folder, "local", "up.json"), DateTime.UtcNow.AddHours(-1));

            // When
            var result = await KeylessCli.RunAsync("local", "down", "--state", _fixture.Folder);

            // Then: nothing is killed, and the stale record is gone
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("no longer running", result.Output, StringComparison.Ordinal);
            Assert.False(other.WaitForExit(500));
            Assert.Null(LocalUpRecord.Read(_fixture.Folder));
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public async Task Should_Say_There_Is_Nothing_To_Stop_When_No_Local_Up_Is_Recorded()
    {
        var result = await KeylessCli.RunAsync("local", "down", "--state", _fixture.Folder);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("nothing to stop", result.Output, StringComparison.Ordinal);
    }

    private void Record(int processId)
    {
        Directory.CreateDirectory(Path.Combine(_fixture.Folder, "local"));
        LocalUpRecord.Write(_fixture.Folder, new LocalUpRecord(processId, new Dictionary<string, string> { ["staging"] = "http://127.0.0.1:9" }));
    }
}
