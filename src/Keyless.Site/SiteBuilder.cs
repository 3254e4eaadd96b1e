using System.Text;
using Keyless.Core;
using Keyless.Core.Contracts;

namespace Keyless.Site;

/// <summary>What a build wrote: the manifest, and the counts the summary line prints.</summary>
public sealed record SiteBuildResult(string Output, BuildManifest Manifest, IReadOnlyList<string> Unresolved)
{
    public int Files => Manifest.Files.Count;

    public int Fingerprinted => Manifest.Files.Values.Count(f => f.Fingerprinted);

    public long Bytes => Manifest.Files.Values.Sum(f => f.Size);
}

/// <summary>
/// <c>keyless site build</c>: copies a site to an output folder with stylesheets, scripts, images and fonts
/// renamed after their content (<c>app.css</c> → <c>app.3f9a1c2b.css</c>), every reference to them rewritten in
/// pages and stylesheets, and the manifest <c>.keyless-build.json</c>. The same input gives the same bytes.
/// </summary>
public static class SiteBuilder
{
    /// <summary>Files at the root that browsers and crawlers ask for by name: they keep it.</summary>
    public static readonly IReadOnlySet<string> RootEntryPoints = new HashSet<string>(
        ["robots.txt", "favicon.ico", "sitemap.xml", "humans.txt", "ads.txt", "security.txt", "manifest.webmanifest", "site.webmanifest", "browserconfig.xml", "apple-touch-icon.png", "apple-touch-icon-precomposed.png"],
        StringComparer.OrdinalIgnoreCase);

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Whether a site path keeps its name because it is requested by it: pages and the well-known files.</summary>
    public static bool IsEntryPoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return SiteFolder.IsHtml(path) || (!path.Contains('/', StringComparison.Ordinal) && RootEntryPoints.Contains(path)) || path.StartsWith(".well-known/", StringComparison.Ordinal);
    }

    public static bool IsFingerprinted(string path) => !IsEntryPoint(path) && Fingerprint.Extensions.Contains(Path.GetExtension(path));

    /// <param name="source">The site folder.</param>
    /// <param name="output">The output folder: created, or emptied when it holds a previous build.</param>
    /// <param name="sourceLabel">The site folder as the manifest names it (as the user wrote it).</param>
    /// <param name="files">Where relative folders lead.</param>
    public static SiteBuildResult Build(string source, string output, string sourceLabel, InputFiles files)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(files);
        var site = SiteFolder.Open(source, files);
        var outFull = files.FullPath(output);
        if (IsWithin(outFull, site.Root))
        {
            throw KeylessException.Input($"{output}: the output folder is inside the site folder {source} (or is it), so the build would copy itself; choose a folder outside it, such as dist.");
        }

        if (IsWithin(site.Root, outFull))
        {
            throw KeylessException.Input($"{output}: the output folder contains the site folder {source}; cleaning it would delete the site. Choose a folder of its own, such as dist.");
        }

        var build = new BuildRun(site);
        build.Run();
        var manifest = new BuildManifest(BuildManifest.CurrentVersion, sourceLabel, build.Files);

        PrepareOutput(outFull, output);
        foreach (var (path, content) in build.Contents)
        {
            var file = Path.Combine(outFull, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, content);
        }

        File.WriteAllText(Path.Combine(outFull, BuildManifest.FileName), manifest.ToJson(), new UTF8Encoding(false));
        return new SiteBuildResult(outFull, manifest, build.Unresolved);
    }

    /// <summary>
    /// Makes the output folder ready: creates it, or empties a previous build (one that holds a readable
    /// manifest); anything else is refused, so that a mistyped --out never deletes someone's files. The old
    /// manifest goes last, when the new one replaces it.
    /// </summary>
    private static void PrepareOutput(string outFull, string output)
    {
        if (File.Exists(outFull))
        {
            throw KeylessException.Input($"{output}: is a file; the output must be a folder (such as dist).");
        }

        if (!Directory.Exists(outFull))
        {
            Directory.CreateDirectory(outFull);
            return;
        }

        var entries = Directory.EnumerateFileSystemEntries(outFull).Order(StringComparer.Ordinal).ToList();
        if (entries.Count == 0)
        {
            return;
        }

        var manifestPath = Path.Combine(outFull, BuildManifest.FileName);
        if (!File.Exists(manifestPath) || BuildManifest.TryParse(File.ReadAllText(manifestPath)) is null)
        {
            throw KeylessException.Input(
                $"{output}: the folder is not empty and holds no {BuildManifest.FileName}, so it is not the output of a previous keyless site build; " +
                "keyless will not delete it. Choose another output folder, or empty this one yourself.");
        }

        foreach (var entry in entries.Where(e => e != manifestPath))
        {
            var directory = new DirectoryInfo(entry);
            if (directory.Exists && directory.LinkTarget is null)
            {
                directory.Delete(recursive: true);
            }
            else if (directory.Exists)
            {
                directory.Delete();
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    private static bool IsWithin(string path, string folder)
    {
        var a = Path.TrimEndingDirectorySeparator(path);
        var b = Path.TrimEndingDirectorySeparator(folder);
        return a == b || a.StartsWith(b + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>One build, in memory: names and contents of every output file, computed in dependency order.</summary>
    private sealed class BuildRun(SiteFolder site)
    {
        /// <summary>The short hash in each fingerprinted file's name, by source path.</summary>
        private readonly Dictionary<string, string> _hashes = new(StringComparer.Ordinal);
        private readonly HashSet<string> _cssInProgress = new(StringComparer.Ordinal);
        private readonly List<string> _unresolved = [];

        public SortedDictionary<string, byte[]> Contents { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, BuildFile> Files { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<string> Unresolved => _unresolved;

        public void Run()
        {
            // Leaves first (images, fonts, scripts), then stylesheets in dependency order, then pages.
            foreach (var path in site.Files.Where(p => IsFingerprinted(p) && !SiteFolder.IsCss(p)))
            {
                Add(path, File.ReadAllBytes(site.FullPath(path)));
            }

            foreach (var path in site.Files.Where(p => IsFingerprinted(p) && SiteFolder.IsCss(p)))
            {
                Stylesheet(path, []);
            }

            foreach (var path in site.Files.Where(p => !IsFingerprinted(p)))
            {
                var bytes = File.ReadAllBytes(site.FullPath(path));
                Add(path, SiteFolder.IsHtml(path) ? Page(path, bytes) : bytes);
            }
        }

        private void Add(string path, byte[] content)
        {
            var sha256 = Fingerprint.Sha256(content);
            var fingerprinted = IsFingerprinted(path);
            var name = fingerprinted ? Fingerprint.Name(path, sha256) : path;
            if (!Contents.TryAdd(name, content))
            {
                throw KeylessException.Input($"{site.Root}: {path} would be written as {name}, which another file of the site already is; rename one of them.");
            }

            if (fingerprinted)
            {
                _hashes[path] = sha256[..Fingerprint.Length];
            }

            Files[name] = new BuildFile(sha256, content.LongLength, fingerprinted, IsEntryPoint(path), path);
        }

        private void Stylesheet(string path, List<string> chain)
        {
            if (_hashes.ContainsKey(path))
            {
                return;
            }

            if (!_cssInProgress.Add(path))
            {
                var cycle = chain.SkipWhile(p => p != path).Append(path);
                throw KeylessException.Input($"{site.Root}: stylesheets import each other in a circle ({string.Join(" → ", cycle)}); no order gives them stable names. Remove one of the imports.");
            }

            chain.Add(path);
            var bytes = File.ReadAllBytes(site.FullPath(path));
            var (text, hasBom) = Decode(bytes);

            // A stylesheet's name depends on the names it contains: name the stylesheets it references first.
            foreach (var reference in CssReferences.Find(text))
            {
                if (Resolve(path, reference.Url, note: false) is { } target && IsFingerprinted(target) && SiteFolder.IsCss(target))
                {
                    Stylesheet(target, chain);
                }
            }

            var rewritten = RewriteCss(path, text);
            chain.RemoveAt(chain.Count - 1);
            _cssInProgress.Remove(path);
            Add(path, rewritten == text ? bytes : Encode(rewritten, hasBom));
        }

        private string RewriteCss(string from, string css)
        {
            var result = new StringBuilder(css);
            foreach (var reference in CssReferences.Find(css).OrderByDescending(r => r.Start))
            {
                if (Renamed(from, reference.Url) is { } hash)
                {
                    result.Remove(reference.Start, reference.Length).Insert(reference.Start, SiteUrl.WithFingerprint(css.Substring(reference.Start, reference.Length), hash));
                }
            }

            return result.ToString();
        }

        private byte[] Page(string path, byte[] bytes)
        {
            var page = HtmlPage.Parse(path, bytes);
            var text = page.Text;
            var edits = new List<(int Start, int End, string Text)>();
            foreach (var slot in page.Slots())
            {
                var position = slot.Element.SourceReference?.Position.Position ?? 0;
                var lt = position - 1;
                if (lt < 0 || lt >= text.Length || text[lt] != '<')
                {
                    continue; // an element the parser implied: it has no tag, so no attribute, in the text
                }

                var (attributes, end) = StartTag.Read(text, lt);
                if (slot.Attribute is null)
                {
                    var close = text.IndexOf("</style", end, StringComparison.OrdinalIgnoreCase);
                    close = close < 0 ? text.Length : close;
                    var css = text[end..close];
                    var rewritten = RewriteCss(path, css);
                    if (rewritten != css)
                    {
                        edits.Add((end, close, rewritten));
                    }

                    continue;
                }

                var value = slot.IsCss ? RewriteCss(path, slot.Value) : RewriteUrls(path, slot);
                if (value == slot.Value)
                {
                    continue;
                }

                var raw = attributes.First(a => a.Name == slot.Attribute);
                var quoted = raw.Quote != '\0' ? 1 : 0;
                edits.Add((raw.ValueStart - quoted, Math.Min(raw.ValueEnd + quoted, text.Length), StartTag.Quote(value, raw.Quote)));
            }

            if (edits.Count == 0)
            {
                return bytes;
            }

            var result = new StringBuilder(text);
            foreach (var (start, end, replacement) in edits.OrderByDescending(e => e.Start))
            {
                result.Remove(start, end - start).Insert(start, replacement);
            }

            return Encode(result.ToString(), page.HasBom);
        }

        private string RewriteUrls(string from, UrlSlot slot)
        {
            var result = new StringBuilder(slot.Value);
            foreach (var span in slot.Urls.OrderByDescending(s => s.Start))
            {
                if (Renamed(from, span.Url) is { } hash)
                {
                    result.Remove(span.Start, span.Length).Insert(span.Start, SiteUrl.WithFingerprint(span.Url, hash));
                }
            }

            return result.ToString();
        }

        /// <summary>The hash to put in a reference's name, when it names a fingerprinted file.</summary>
        private string? Renamed(string from, string url) =>
            Resolve(from, url, note: true) is { } target && _hashes.TryGetValue(target, out var hash) ? hash : null;

        /// <summary>The site file an internal reference names; null for other references and, noted, for unresolved ones.</summary>
        private string? Resolve(string from, string value, bool note)
        {
            var url = SiteUrl.Parse(value);
            if (url.Kind != UrlKind.Internal || url.Path.Length == 0)
            {
                return null;
            }

            var resolved = url.Resolve(from);
            var target = resolved is null ? null : site.Target(resolved);
            if (target is null && note)
            {
                _unresolved.Add($"{from}: {value}");
            }

            return target;
        }

        private static (string Text, bool HasBom) Decode(byte[] bytes)
        {
            var hasBom = bytes.AsSpan().StartsWith(Bom);
            return (Encoding.UTF8.GetString(hasBom ? bytes[Bom.Length..] : bytes), hasBom);
        }

        private static byte[] Encode(string text, bool hasBom)
        {
            var body = new UTF8Encoding(false).GetBytes(text);
            return hasBom ? [.. Bom, .. body] : body;
        }
    }
}
