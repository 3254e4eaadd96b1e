using System.Globalization;

namespace Keyless.Bench.Deploy;

/// <summary>Every measurement of one site size, and the tables made of them: times, requests by kind, peak memory and CPU.</summary>
internal sealed class Results
{
    private readonly Dictionary<(int Delay, string Who, string Scenario), List<(ToolRun Run, IReadOnlyDictionary<string, int> Requests)>> _samples = [];

    public void Add(int files, int delay, string who, string scenario, ToolRun run, IReadOnlyDictionary<string, int> requests)
    {
        var key = (delay, who, scenario);
        (_samples.TryGetValue(key, out var list) ? list : _samples[key] = []).Add((run, requests));
        Console.Error.WriteLine(Invariant($"  {files} files, {delay} ms, {who}, {scenario}: {run.Elapsed.TotalSeconds:F2} s, {run.PeakKilobytes / 1024} MB, {run.CpuSeconds:F1} s CPU; {Describe(requests)}"));
    }

    public void Print(int files, int[] delays, IReadOnlyList<Contender> contenders, bool raw, int runs, string[] scenarios, int[] rawConcurrency)
    {
        foreach (var delay in delays)
        {
            Console.WriteLine();
            Console.WriteLine(Invariant($"### {files:N0} files, {(delay == 0 ? "loopback" : $"{delay} ms added to every request")} (wall time, median of {runs})"));
            Console.WriteLine();
            var rawColumn = raw ? " raw PutObject loop (best) / listing only |" : string.Empty;
            // One ratio column for each keyless contender in the run (on an unversioned and on a versioned bucket).
            var keyless = contenders.Where(c => c.Key.StartsWith("keyless", StringComparison.Ordinal)).ToList();
            var ratioColumns = string.Concat(keyless.Select(c => $" {c.Title} ÷ rclone tuned |"));
            Console.WriteLine($"| scenario | {string.Join(" | ", contenders.Select(c => c.Title))} |{rawColumn}{ratioColumns}");
            Console.WriteLine($"|---|{string.Concat(contenders.Select(_ => "---:|"))}{(raw ? "---:|" : string.Empty)}{string.Concat(keyless.Select(_ => "---:|"))}");
            foreach (var scenario in scenarios)
            {
                var cells = contenders.Select(c => Median(delay, c.Key, scenario) is { } m ? Invariant($"{m.Elapsed.TotalSeconds:F2} s") : string.Empty);
                var rawCell = !raw ? string.Empty
                    : scenario == scenarios[0] && BestRaw(delay, rawConcurrency) is { } best ? Invariant($" {best.Time:F2} s ({best.Concurrency} at a time) |")
                    : scenario == scenarios[1] && Median(delay, "raw list", scenario) is { } list ? Invariant($" {list.Elapsed.TotalSeconds:F2} s (listing only) |")
                    : " |";
                var ratios = keyless.Select(c => Median(delay, c.Key, scenario) is { } k && Median(delay, "rclone-tuned", scenario) is { } r ? Invariant($"{k.Elapsed.TotalSeconds / r.Elapsed.TotalSeconds:F2}") : string.Empty);
                Console.WriteLine($"| {scenario} | {string.Join(" | ", cells)} |{rawCell}{string.Concat(ratios.Select(r => $" {r} |"))}");
            }

            if (raw)
            {
                Console.WriteLine();
                Console.WriteLine(Invariant($"Raw PutObject loop: {string.Join(", ", rawConcurrency.Select(c => Median(delay, $"raw {c}", scenarios[0]) is { } m ? $"{c} at a time {m.Elapsed.TotalSeconds:F2} s" : $"{c}: -"))}."));
                if (Median(delay, "raw direct", scenarios[0]) is { } direct && Median(delay, "raw 32", scenarios[0]) is { } proxied)
                {
                    Console.WriteLine(Invariant($"The proxy at 0 ms against the direct endpoint (raw loop, 32 at a time): {proxied.Elapsed.TotalSeconds:F2} s against {direct.Elapsed.TotalSeconds:F2} s ({proxied.Elapsed.TotalSeconds / direct.Elapsed.TotalSeconds:P0})."));
                }
            }

            Console.WriteLine();
            Console.WriteLine("Requests sent, by kind (COPY: a PUT with a copy source; LIST: a GET of the bucket):");
            Console.WriteLine();
            Console.WriteLine($"| scenario | {string.Join(" | ", contenders.Select(c => c.Title))} |");
            Console.WriteLine($"|---|{string.Concat(contenders.Select(_ => "---|"))}");
            foreach (var scenario in scenarios)
            {
                Console.WriteLine($"| {scenario} | {string.Join(" | ", contenders.Select(c => Median(delay, c.Key, scenario) is { } m ? Describe(m.Requests) : string.Empty))} |");
            }

            Console.WriteLine();
            Console.WriteLine("Peak memory (resident) and CPU time (user + system) of each tool's process:");
            Console.WriteLine();
            Console.WriteLine($"| tool | {string.Join(" | ", scenarios)} |");
            Console.WriteLine($"|---|{string.Concat(scenarios.Select(_ => "---:|"))}");
            foreach (var contender in contenders)
            {
                Console.WriteLine($"| {contender.Title} | {string.Join(" | ", scenarios.Select(s => Median(delay, contender.Key, s) is { } m ? Invariant($"{m.Run.PeakKilobytes / 1024} MB, {m.Run.CpuSeconds:F1} s") : string.Empty))} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"samples (s): {string.Join("; ", _samples.Select(s => Invariant($"{s.Key.Delay} ms {s.Key.Who} {s.Key.Scenario}: {string.Join(" ", s.Value.Select(v => v.Run.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))}")))}");
    }

    private (double Time, int Concurrency)? BestRaw(int delay, int[] concurrency) =>
        concurrency.Select(c => (Run: Median(delay, $"raw {c}", "first deploy"), Concurrency: c))
            .Where(r => r.Run is not null)
            .Select(r => (r.Run!.Elapsed.TotalSeconds, r.Concurrency))
            .OrderBy(r => r.TotalSeconds)
            .Select(r => ((double Time, int Concurrency)?)r)
            .FirstOrDefault();

    /// <summary>The median run by wall time, with the requests it sent.</summary>
    private Sample? Median(int delay, string who, string scenario) =>
        _samples.TryGetValue((delay, who, scenario), out var list)
            ? list.OrderBy(s => s.Run.Elapsed).Select(s => new Sample(s.Run, s.Requests)).ElementAt(list.Count / 2)
            : null;

    private static string Describe(IReadOnlyDictionary<string, int> requests) =>
        requests.Count == 0 ? "-" : Invariant($"{string.Join(", ", requests.OrderByDescending(r => r.Value).Select(r => Invariant($"{r.Key} {r.Value:N0}")))} ({requests.Values.Sum():N0})");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Sample(ToolRun Run, IReadOnlyDictionary<string, int> Requests)
    {
        public TimeSpan Elapsed => Run.Elapsed;
    }
}
