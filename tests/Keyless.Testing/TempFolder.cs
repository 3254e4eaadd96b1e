namespace Keyless.Testing;

/// <summary>A fresh folder under the system temp folder for a test's files, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keyless-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes a file into the folder and returns its full path.</summary>
    public string Write(string fileName, string content)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a child process may still hold a file open.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }
}
