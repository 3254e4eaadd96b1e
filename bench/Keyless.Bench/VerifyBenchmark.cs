using System.Diagnostics;
using System.Globalization;
using Keyless.Identity;
using Keyless.Trust.Evaluation;

namespace Keyless.Bench;

/// <summary>Token verification throughput on one thread with a warm JWKS cache (signature, iss, aud, times).</summary>
internal static class VerifyBenchmark
{
    private const int Tokens = 20_000;

    public static async Task RunAsync()
    {
        await using var cloud = await LocalCloud.StartAsync();
        using var http = new HttpClient();
        var verifier = new IdTokenVerifier(new JwksSource(http));
        var provider = new OidcProvider(cloud.Issuer.Url, [LocalCloud.Audience]);
        var tokens = Enumerable.Range(0, 100).Select(_ => cloud.Mint()).ToArray();
        for (var i = 0; i < 2_000; i++)
        {
            Check(await verifier.VerifyAsync(tokens[i % tokens.Length], provider)); // warm-up: JWKS, JIT
        }

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Tokens; i++)
        {
            Check(await verifier.VerifyAsync(tokens[i % tokens.Length], provider));
        }

        watch.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine($"## Token verification ({Tokens:N0} RS256 tokens, one thread, warm JWKS cache)");
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| tokens per second of wall time | {Tokens / watch.Elapsed.TotalSeconds:N0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| tokens per second of CPU time | {Tokens / cpu:N0} |"));
    }

    private static void Check(IdTokenVerification verification)
    {
        if (!verification.Valid)
        {
            throw new InvalidOperationException($"benchmark token refused: {verification.Message}");
        }
    }
}
