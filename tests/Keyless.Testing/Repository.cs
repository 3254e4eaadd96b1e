namespace Keyless.Testing;

/// <summary>The repository the tests run from: the folder above the test binaries that holds Keyless.slnx.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>A path inside the repository, from its root.</summary>
    public static string Path(params string[] relative) => System.IO.Path.Combine([Root, .. relative]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Keyless.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Keyless.slnx.");
    }
}
