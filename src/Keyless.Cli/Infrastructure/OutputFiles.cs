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
