namespace Keyless.Identity.Tests.Exchange;

/// <summary>Files of the repository the tests run from, such as the trust examples.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Keyless.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Keyless.slnx above {AppContext.BaseDirectory}.");
    }
}
