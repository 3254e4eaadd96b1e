using Keyless.Core;

namespace Keyless.Site;

/// <summary>
/// The files of a site folder, as site paths: relative to the root, <c>/</c>-separated, sorted ordinally.
/// Hidden files and folders (a name starting with <c>.</c>) are not part of the site, except <c>.well-known/</c>.
/// </summary>
public sealed class SiteFolder
{
    private readonly HashSet<string> _files;
    private readonly Dictionary<string, string> _byLowerCase;

    private SiteFolder(string root, List<string> files)
    {
        Root = root;
        Files = files;
        _files = new HashSet<string>(files, StringComparer.Ordinal);
        _byLowerCase = files.GroupBy(f => f.ToUpperInvariant(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>The folder's full path.</summary>
    public string Root { get; }

    public IReadOnlyList<string> Files { get; }

    /// <param name="root">The folder as the user named it; relative to <paramref name="inputs"/>' working folder.</param>
    /// <param name="inputs">Where relative paths lead.</param>
    public static SiteFolder Open(string root, InputFiles inputs)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(inputs);
        var full = inputs.Folder(root, root, "the site's folder (the one holding index.html)", "Name it with --site, or set site.source in keyless.json.");

        var files = Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(full, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(IsPartOfSite)
            .Order(StringComparer.Ordinal)
            .ToList();

        // Nothing to check or build is a wrong folder, not a site that passes.
        return files.Count > 0
            ? new SiteFolder(full, files)
            : throw KeylessException.Input($"{root}: the folder holds no files of a site (looked in {full}; hidden files do not count). Name the site's folder with --site, or set site.source in keyless.json.");
    }

    public bool Contains(string path) => _files.Contains(path);

    /// <summary>A file whose path differs only in case, for a hint: URLs on S3 are case-sensitive.</summary>
    public string? CaseVariant(string path) => _byLowerCase.GetValueOrDefault(path.ToUpperInvariant());

    /// <summary>
    /// The file a resolved site path serves: the file itself, or the folder's <c>index.html</c> for a path
    /// ending in <c>/</c>, an empty path (the root) or a folder's name; null when the site has neither.
    /// </summary>
    public string? Target(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.EndsWith('/'))
        {
            return Contains(path + "index.html") ? path + "index.html" : null;
        }

        return Contains(path) ? path : Contains(path + "/index.html") ? path + "/index.html" : null;
    }

    public string FullPath(string path) => Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar));

    public static bool IsHtml(string path) =>
        path.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".htm", StringComparison.OrdinalIgnoreCase);

    public static bool IsCss(string path) => path.EndsWith(".css", StringComparison.OrdinalIgnoreCase);

    private static bool IsPartOfSite(string path) =>
        path.Split('/').All(segment => !segment.StartsWith('.') || segment == ".well-known");
}
