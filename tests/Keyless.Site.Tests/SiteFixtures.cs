using Keyless.Core;
using Keyless.Testing;

namespace Keyless.Site.Tests;

/// <summary>A site written file by file into a fresh temp folder, deleted on dispose; also a place for outputs.</summary>
internal sealed class TempSite : IDisposable
{
    public const string GoodPage = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Page</title></head>
        <body><p>Hello.</p></body>
        </html>
        """;

    public TempSite() => Directory.CreateDirectory(Site);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "keyless-site-tests-" + Guid.NewGuid().ToString("N"));

    public string Site => Path.Combine(Root, "site");

    /// <summary>Files relative to <see cref="Root"/>, with no standard input.</summary>
    public InputFiles Files => new(Root, TextReader.Null);

    public string Out => Path.Combine(Root, "dist");

    /// <summary>A site with a 404 page, so that only what a test adds is reported.</summary>
    public static TempSite With404()
    {
        var site = new TempSite();
        site.Write("404.html", GoodPage);
        return site;
    }

    public TempSite Write(string path, string content)
    {
        var file = Path.Combine(Site, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return this;
    }

    public TempSite WriteBytes(string path, byte[] content)
    {
        var file = Path.Combine(Site, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, content);
        return this;
    }

    /// <summary>A page with a lang and a title around the given body.</summary>
    public TempSite Page(string path, string body, string head = "") =>
        Write(path, $"<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>T</title>{head}</head>\n<body>\n{body}\n</body>\n</html>\n");

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>Paths into the repository the tests run from.</summary>
internal static class SiteRepo
{
    public static string Root { get; } = Repository.Root;

    public static string Site => Path.Combine(Root, "site");

    /// <summary>Files relative to the repository, with no standard input.</summary>
    public static InputFiles Files => new(Root, TextReader.Null);
}
