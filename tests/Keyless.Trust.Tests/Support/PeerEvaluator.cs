using System.Diagnostics;
using System.Text.Json.Nodes;
using Keyless.Testing;

namespace Keyless.Trust.Tests.Support;

/// <summary>
/// The independent evaluator the differential test compares keyless with: the npm package
/// <c>@cloud-copilot/iam-simulate</c>, pinned in <c>Peer/package.json</c> and its lock file, installed with
/// <c>npm ci</c> on first use, driven by <c>Peer/evaluate.cjs</c> — one node process for a whole batch.
/// </summary>
public static class PeerEvaluator
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    public static string Folder { get; } = Path.Combine(Repository.Root, "tests", "Keyless.Trust.Tests", "Peer");

    /// <summary>"Allowed", "ExplicitlyDenied" or "ImplicitlyDenied" for each case of <c>{policy, context}</c>.</summary>
    public static async Task<IReadOnlyList<string>> EvaluateAsync(string providerArn, JsonArray cases)
    {
        await EnsureInstalledAsync();
        var (code, stdout, stderr) = await RunAsync("node", [Path.Combine(Folder, "evaluate.cjs"), providerArn], cases.ToJsonString());
        Assert.True(code == 0, $"node evaluate.cjs failed ({code}): {stderr}");
        var results = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal(cases.Count, results.Count);
        return results.Select(r => r is JsonValue ? r.GetValue<string>() : "error: " + r!["error"]).ToList();
    }

    private static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(Folder, "node_modules", "@cloud-copilot", "iam-simulate", "package.json")))
            {
                var (code, _, stderr) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", Folder], null);
                Assert.True(code == 0, $"npm ci in {Folder} failed ({code}): {stderr}");
            }
        }
        finally
        {
            Install.Release();
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> arguments, string? stdin)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Folder,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
