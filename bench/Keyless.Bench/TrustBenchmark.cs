using System.Diagnostics;
using System.Globalization;
using Keyless.Trust.Analysis;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Bench;

/// <summary>CPU time of `trust check`'s engine over generated policies: parse, analyse, witnesses.</summary>
internal static class TrustBenchmark
{
    public static void Run()
    {
        var providers = new[] { new OidcProvider("https://gitlab.com", ["https://gitlab.com"]) };
        var now = DateTimeOffset.FromUnixTimeSeconds(1_893_456_000);

        (double CpuMs, int Findings, int Witnesses) Measure(List<string> policies)
        {
            var samples = new List<(double, int, int)>();
            for (var run = 0; run < 5; run++)
            {
                var process = Process.GetCurrentProcess();
                var before = process.TotalProcessorTime;
                int findings = 0, witnesses = 0;
                foreach (var (json, i) in policies.Select((p, i) => (p, i)))
                {
                    var policy = PolicyParser.Parse($"policy-{i}.json", json);
                    var analysis = TrustAnalyzer.Analyze(new RoleTrust($"role-{i}", $"policy-{i}.json", policy, 3600), providers, null, now);
                    findings += analysis.Findings.Count;
                    witnesses += analysis.Findings.Count(f => f.Witness is not null) + analysis.Admitted.Count;
                }

                process.Refresh();
                samples.Add(((process.TotalProcessorTime - before).TotalMilliseconds, findings, witnesses));
            }

            return samples.OrderBy(s => s.Item1).ElementAt(samples.Count / 2);
        }

        Measure(TrustPolicyCorpus.Generate(1000, 24)); // warm-up: JIT and tiered compilation

        Console.WriteLine("## Policies (project path length 24)");
        Console.WriteLine("| policies | CPU ms (median of 5) | per policy ms | findings | witnesses |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var count in new[] { 500, 1000, 2000, 4000 })
        {
            var (cpu, findings, witnesses) = Measure(TrustPolicyCorpus.Generate(count, 24));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {count} | {cpu:F0} | {cpu / count:F3} | {findings} | {witnesses} |"));
        }

        Console.WriteLine();
        Console.WriteLine("## Pattern length (1,000 policies)");
        Console.WriteLine("| project path length | CPU ms (median of 5) | per policy ms |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (var length in new[] { 16, 32, 64, 128 })
        {
            var (cpu, _, _) = Measure(TrustPolicyCorpus.Generate(1000, length));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {length} | {cpu:F0} | {cpu / 1000:F3} |"));
        }
    }
}
