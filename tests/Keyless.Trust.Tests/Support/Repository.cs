namespace Keyless.Trust.Tests.Support;

/// <summary>The repository the tests run from: the folder above the test binaries that holds Keyless.slnx.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Keyless.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Keyless.slnx not found above the test folder.");
    }
}
