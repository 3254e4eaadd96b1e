using System.Diagnostics;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>A throwaway git repository with one commit of the given files, deleted on dispose.</summary>
internal sealed class ScratchRepository : IDisposable
{
    private ScratchRepository(string path) => Path = path;

    public string Path { get; }

    /// <summary>A repository holding <paramref name="files"/> (relative path → content).</summary>
    public static ScratchRepository Create(IReadOnlyDictionary<string, string> files)
    {
        var path = Directory.CreateTempSubdirectory("keyless-scratch-").FullName;
        foreach (var (name, content) in files)
        {
            var file = System.IO.Path.Combine(path, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllText(file, content);
        }

        Git(path, "init", "--quiet", "--initial-branch", "work");
        Git(path, "-c", "user.name=Scratch", "-c", "user.email=scratch@keyless.invalid", "add", "--all");
        Git(path, "-c", "user.name=Scratch", "-c", "user.email=scratch@keyless.invalid", "commit", "--quiet", "-m", "Scratch commit\n\nWith a description.");
        return new ScratchRepository(path);
    }

    /// <summary>A repository holding the named files of the real repository's working tree, as they are on disk.</summary>
    public static ScratchRepository FromWorkingTree(params string[] names) =>
        Create(names.ToDictionary(n => n, n => File.ReadAllText(System.IO.Path.Combine(PipelineTools.RepositoryRoot, n)), StringComparer.Ordinal));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temporary-folder cleanup.
        }
    }

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error.Result}");
        }
    }
}
