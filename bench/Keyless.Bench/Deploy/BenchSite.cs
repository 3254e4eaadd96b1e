using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Keyless.Bench.Deploy;

/// <summary>One file of the generated site: where it goes, how big it is, and the seed of its bytes.</summary>
internal sealed record BenchFile(string Kind, string Stem, string Extension, int Size, int Seed, bool Fingerprinted);

/// <summary>
/// A built static site, generated from a fixed seed so every run gets the same bytes: pages, fingerprinted
/// CSS/JS and images, a few unhashed images and downloads of 1–3 MB. <see cref="Changed"/> is the same site
/// after a typical commit: 1% of the files changed — pages edited in place, and assets rebuilt under new
/// fingerprinted names (the old names gone).
/// </summary>
internal sealed class BenchSite
{
    private BenchSite(IReadOnlyList<BenchFile> files) => Files = files;

    public IReadOnlyList<BenchFile> Files { get; }

    public long Bytes => Files.Sum(f => (long)f.Size);

    /// <summary>
    /// <paramref name="count"/> files (5,000 by default): 50% pages (2–30 KB), 24% CSS and JS (5–200 KB),
    /// 25.7% images (10–500 KB, one in ten unhashed), 0.3% downloads (1–3 MB, unhashed); sizes log-uniform in
    /// each range, so most files are small and most bytes are in the few big ones.
    /// </summary>
    public static BenchSite Generate(int count, int seed = 20261126)
    {
        var random = new Random(seed);
        var files = new List<BenchFile>(count);
        var downloads = Math.Max(1, count * 3 / 1000);
        var pages = count / 2;
        var code = count * 24 / 100;
        var images = count - pages - code - downloads;
        for (var i = 0; i < pages; i++)
        {
            var section = i % 40;
            files.Add(new BenchFile("page", i < 40 ? $"docs/section-{section:D2}/index" : $"docs/section-{section:D2}/page-{i:D4}/index", "html", Size(random, 2, 30), random.Next(), false));
        }

        for (var i = 0; i < code; i++)
        {
            var css = i % 6 == 0;
            files.Add(new BenchFile("code", css ? $"assets/css/style-{i:D4}" : $"assets/js/chunk-{i:D4}", css ? "css" : "js", Size(random, 5, 200), random.Next(), true));
        }

        for (var i = 0; i < images; i++)
        {
            var extension = (i % 4) switch { 0 => "png", 1 => "jpg", 2 => "webp", _ => "svg" };
            var hashed = i % 10 != 0;
            files.Add(new BenchFile("image", hashed ? $"assets/img/figure-{i:D4}" : $"images/photo-{i:D4}", extension, Size(random, 10, 500), random.Next(), hashed));
        }

        for (var i = 0; i < downloads; i++)
        {
            files.Add(new BenchFile("download", $"downloads/guide-{i:D2}", "pdf", random.Next(1024 * 1024, 3 * 1024 * 1024), random.Next(), false));
        }

        return new BenchSite(files);
    }

    /// <summary>The site after a commit touching 1% of its files: 60% of them pages edited in place, 40% assets rebuilt (new names).</summary>
    public BenchSite Changed(double share = 0.01, int seed = 7)
    {
        var random = new Random(seed);
        var changes = Math.Max(1, (int)Math.Round(Files.Count * share));
        var pages = Files.Select((f, i) => (f, i)).Where(p => p.f.Kind == "page").Select(p => p.i).OrderBy(_ => random.Next()).Take(changes * 6 / 10);
        var assets = Files.Select((f, i) => (f, i)).Where(p => p.f.Fingerprinted).Select(p => p.i).OrderBy(_ => random.Next()).Take(changes - (changes * 6 / 10));
        var files = Files.ToList();
        foreach (var index in pages.Concat(assets))
        {
            files[index] = files[index] with { Seed = files[index].Seed ^ 0x5bd1e995, Size = files[index].Size + 17 };
        }

        return new BenchSite(files);
    }

    /// <summary>The site after a site-wide template change (header, footer, navigation): every page rewritten, 23 bytes longer; no asset changed.</summary>
    public BenchSite SiteWide() =>
        new([.. Files.Select(f => f.Kind == "page" ? f with { Seed = f.Seed ^ 0x2c1b3c6d, Size = f.Size + 23 } : f)]);

    /// <summary>Writes the site into a new folder (every mtime new, as a fresh clone and build has); returns the number of files.</summary>
    public int WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Files)
        {
            var content = Content(file);
            var name = file.Fingerprinted
                ? $"{file.Stem}.{Convert.ToHexStringLower(SHA256.HashData(content))[..8]}.{file.Extension}"
                : $"{file.Stem}.{file.Extension}";
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }

        File.WriteAllText(Path.Combine(folder, "robots.txt"), "User-agent: *\nAllow: /\n");
        File.WriteAllText(Path.Combine(folder, "index.html"), "<!doctype html><title>Bench</title><a href=\"/docs/section-00/\">Docs</a>\n");
        return Files.Count + 2;
    }

    public string Describe() =>
        string.Join(", ", Files.GroupBy(f => f.Kind).Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{g.Count()} {g.Key}s ({g.Sum(f => (long)f.Size) / 1024.0 / 1024.0:F0} MB, {g.Min(f => f.Size) / 1024} KB–{g.Max(f => f.Size) / 1024} KB)")))
        + string.Create(CultureInfo.InvariantCulture, $"; {Files.Count + 2} files, {Bytes / 1024.0 / 1024.0:F0} MB in all");

    private static int Size(Random random, int minKb, int maxKb) =>
        (int)(1024 * Math.Exp(Math.Log(minKb) + (random.NextDouble() * (Math.Log(maxKb) - Math.Log(minKb)))));

    /// <summary>Pages, CSS, JS and SVG are text; the rest is incompressible bytes.</summary>
    private static byte[] Content(BenchFile file)
    {
        var random = new Random(file.Seed);
        var content = new byte[file.Size];
        if (file.Extension is "html" or "css" or "js" or "svg")
        {
            var prefix = Encoding.ASCII.GetBytes(file.Extension == "html" ? $"<!doctype html><title>{file.Stem}</title>\n<p>" : $"/* {file.Stem} */\n");
            prefix.AsSpan(0, Math.Min(prefix.Length, content.Length)).CopyTo(content);
            for (var i = prefix.Length; i < content.Length; i++)
            {
                content[i] = (byte)(i % 80 == 79 ? '\n' : 'a' + random.Next(26));
            }
        }
        else
        {
            random.NextBytes(content);
        }

        return content;
    }
}
