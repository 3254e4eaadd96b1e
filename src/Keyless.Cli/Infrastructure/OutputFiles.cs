using System.Text;
using Keyless.Core;

namespace Keyless.Cli.Infrastructure;

/// <summary>Checks a file keyless is to write before any work is done, so a bad path fails first, not last.</summary>
internal static class OutputFiles
{
    /// <summary>Refuses (exit 2) a <paramref name="path"/>, relative to <paramref name="workingFolder"/>, that cannot be written as a file.</summary>
    public static void Check(string? path, string option, string workingFolder)
    {
        if (Problem(path, option, workingFolder) is { } problem)
        {
            throw KeylessException.Input(problem);
        }
    }

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/>, relative to <paramref name="workingFolder"/>,
    /// creating its folder; a file that cannot be written is a user error naming <paramref name="option"/>, saying
    /// what was done already (<paramref name="done"/>) when anything was.
    /// </summary>
    public static void Write(string path, string option, string workingFolder, string text, string? done = null)
    {
        try
        {
            var full = Path.GetFullPath(path, workingFolder);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text, new UTF8Encoding(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw KeylessException.Input($"{option} {path}: cannot be written ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}).{(done is null ? "" : " " + done)} Name a file you can write{(done is null ? "" : " and run again")}.");
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be written as a file (a folder, or under a file), or null.</summary>
    public static string? Problem(string? path, string option, string workingFolder)
    {
        if (path is null)
        {
            return null;
        }

        if (path.Trim().Length == 0)
        {
            return $"{option} is empty; name the file to write.";
        }

        var full = Path.GetFullPath(path, workingFolder);
        if (Directory.Exists(full))
        {
            return $"{option} {path}: is a folder; expected the file to write, e.g. {Path.Combine(path, "out")}.";
        }

        for (var folder = Path.GetDirectoryName(full); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                return $"{option} {path}: {folder} is a file, so nothing can be written under it; name a file in a folder.";
            }

            if (Directory.Exists(folder))
            {
                return null;
            }
        }

        return null;
    }
}
