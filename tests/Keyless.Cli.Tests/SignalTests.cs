using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary>
/// The real keyless process, stopped the ways a terminal (Ctrl-C: SIGINT) and a GitLab runner cancelling a job
/// (SIGTERM) stop it: the command is cancelled and exits with its code, never with an unhandled exception.
/// </summary>
public sealed class SignalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Should_StopServingCleanly_When_Signalled(string signal)
    {
        // Given a local issuer serving until stopped
        using var keyless = Start("local", "issuer", "--state", _folder.Path);
        await WaitForLineAsync(keyless, "issuer: ");

        // When it is signalled
        Signal(keyless, signal);

        // Then it stops as it was told to
        var (exitCode, errors) = await ExitAsync(keyless, signal);
        Assert.True(exitCode == 0, $"exit code {exitCode}: {errors}{Inherited(signal)}");
        Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Should_ExitAsCancelled_When_SignalledWhileARequestIsUnderWay(string signal)
    {
        // Given keyless waiting on an issuer that accepts connections and never answers
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptTcpClientAsync();
        var issuer = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = _folder.Write("token.jwt", $$"""{{Part("""{"alg":"RS256","kid":"k1","typ":"JWT"}""")}}.{{Part($$"""{"iss":"{{issuer}}","aud":"sts.amazonaws.com","sub":"project_path:acme/site:ref_type:branch:ref:main","iat":{{now}},"exp":{{now + 300}}}""")}}.c2lnbmF0dXJl""");
        using var keyless = Start("token", "verify", "--token", token, "--issuer", issuer, "--client-id", "sts.amazonaws.com");
        using var connection = await accepted.WaitAsync(TimeSpan.FromSeconds(30));

        // When it is signalled
        Signal(keyless, signal);

        // Then the command is cancelled, with the cancelled exit code and no stack trace
        var (exitCode, errors) = await ExitAsync(keyless, signal);
        Assert.True(exitCode == ExitCodes.Cancelled, $"exit code {exitCode}: {errors}{Inherited(signal)}");
        Assert.DoesNotContain("Unhandled exception", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    /// <summary>
    /// Why a SIGINT may go unheard: a job started in the background without job control (`cmd &amp;` in a script)
    /// ignores SIGINT, and keyless, like every program, keeps a signal ignored that it inherited ignored.
    /// </summary>
    private static string Inherited(string signal) =>
        signal == "INT" && File.Exists("/proc/self/status")
            && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
            && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0b10) != 0
            ? " (these tests run with SIGINT ignored, as a background job without job control does, and keyless inherits that: run the tests in the foreground)"
            : string.Empty;

    private static string Part(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Process Start(params string[] arguments) => Process.Start(KeylessProcess.StartInfo(arguments))!;

    private static async Task WaitForLineAsync(Process process, string start)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(start, StringComparison.Ordinal))
            {
                return;
            }
        }

        Assert.Fail($"keyless ended without printing a line starting with \"{start}\": {await process.StandardError.ReadToEndAsync()}");
    }

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static async Task<(int ExitCode, string Errors)> ExitAsync(Process process, string signal)
    {
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"keyless did not exit within 30 s of the signal{Inherited(signal)}");
        }

        return (process.ExitCode, await errors);
    }
}
