using Keyless.Core;
namespace Keyless.Deploy.Tests.Support;

/// <summary>A built site in a temporary folder, deleted afterwards.</summary>
internal sealed class SiteFolder : IDisposable
{
    private SiteFolder(string path) => Path = path;

    public string Path { get; }

    /// <summary>Files relative to this folder, with no standard input.</summary>
    public InputFiles Files => new(Path, TextReader.Null);

    public static SiteFolder Empty()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keyless-site-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return new SiteFolder(path);
    }

    /// <summary>Pages, an unhashed image and robots.txt (entry points), and fingerprinted CSS and JS.</summary>
    public static SiteFolder Typical() => Empty()
        .With("index.html", "<!doctype html><html><head><link rel=stylesheet href=/assets/app.3f9a1c2b.css></head><body>Home v1</body></html>")
        .With("about/index.html", "<!doctype html><html><body>About v1</body></html>")
        .With("assets/app.3f9a1c2b.css", "body { color: #123; }")
        .With("assets/app.0a1b2c3d4e.js", "console.log('v1');")
        .With("images/logo.png", "\u0089PNG not really")
        .With("robots.txt", "User-agent: *\nAllow: /\n");

    public SiteFolder With(string path, string content)
    {
        var full = Full(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public SiteFolder Without(string path)
    {
        File.Delete(Full(path));
        return this;
    }

    public string Read(string path) => File.ReadAllText(Full(path));

    /// <summary>The same files in a new folder with every mtime changed, as a fresh CI clone and build has.</summary>
    public SiteFolder FreshClone(DateTime mtime)
    {
        var clone = Empty();
        foreach (var file in Directory.EnumerateFiles(Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.None }))
        {
            var target = System.IO.Path.Combine(clone.Path, System.IO.Path.GetRelativePath(Path, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, mtime);
        }

        return clone;
    }

    public void SetModified(string path, DateTime mtime) => File.SetLastWriteTimeUtc(Full(path), mtime);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    private string Full(string path) => System.IO.Path.Combine(Path, path.Replace('/', System.IO.Path.DirectorySeparatorChar));
}
