using Keyless.Trust;

namespace Keyless.Cli.Infrastructure;

/// <summary>Reads the files a user names, turning a missing or unreadable file into a clear input error.</summary>
public static class InputFiles
{
    /// <summary>Reads a file, or standard input for <c>-</c>.</summary>
    public static string Read(string path, string option)
    {
        if (path == "-")
        {
            return Console.In.ReadToEnd();
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw KeylessException.Input($"{option} {path}: no such file. Check the path (it is relative to {Environment.CurrentDirectory}).");
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw KeylessException.Input($"{option} {path}: cannot be read ({e.Message}).");
        }
    }
}
