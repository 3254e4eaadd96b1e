using Keyless.Core.Configuration;

namespace Keyless.Cli.Commands.Site;

/// <summary>The site's source and output folders: the option when given, else keyless.json's <c>site</c>, else <c>site</c> and <c>dist</c>.</summary>
internal static class SiteFolders
{
    public static string Source(string? option, SiteSettings? configured) => option ?? configured?.Source ?? "site";

    public static string Output(string? option, SiteSettings? configured) => option ?? configured?.Output ?? "dist";

    /// <summary>The folder as reports name it: as written, with <c>/</c> separators and no trailing slash.</summary>
    public static string Label(string folder)
    {
        var label = folder.Replace('\\', '/').TrimEnd('/');
        return label.Length == 0 ? "/" : label;
    }

    /// <summary>A file of the site as reports name it: <c>site/index.html</c>; the folder itself for site-wide findings.</summary>
    public static string Display(string label, string file) => file.Length == 0 ? label : label == "/" ? "/" + file : $"{label}/{file}";
}
