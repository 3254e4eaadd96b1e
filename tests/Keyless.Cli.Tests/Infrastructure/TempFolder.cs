namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>A fresh folder under the system temp folder for a test's input files, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keyless-cli-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Writes a file into the folder and returns its full path.</summary>
    public string Write(string fileName, string content)
    {
        var file = System.IO.Path.Combine(Path, fileName);
        File.WriteAllText(file, content);
        return file;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
