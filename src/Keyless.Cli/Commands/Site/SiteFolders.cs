using Keyless.Trust;
using Keyless.Trust.Configuration;

namespace Keyless.Cli.Commands.Site;

/// <summary>The site's source and output folders: the option when given, else keyless.json's <c>site</c>, else <c>site</c> and <c>dist</c>.</summary>
internal static class SiteFolders
{
    public static string Source(string? option) => option ?? Configured()?.Source ?? "site";

    public static string Output(string? option) => option ?? Configured()?.Output ?? "dist";

    /// <summary>The folder as reports name it: as written, with <c>/</c> separators and no trailing slash.</summary>
    public static string Label(string folder)
    {
        var label = folder.Replace('\\', '/').TrimEnd('/');
        return label.Length == 0 ? "/" : label;
    }

    /// <summary>A file of the site as reports name it: <c>site/index.html</c>; the folder itself for site-wide findings.</summary>
    public static string Display(string label, string file) => file.Length == 0 ? label : label == "/" ? "/" + file : $"{label}/{file}";

    private static SiteSettings? Configured()
    {
        var path = Path.Combine(Environment.CurrentDirectory, KeylessConfig.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var json = InputFiles.Read(path, KeylessConfig.FileName);
        return KeylessConfigParser.Parse(KeylessConfig.FileName, json).Site;
    }
}
