namespace Keyless.Core.Configuration;

/// <summary>Where a <c>keyless.json</c> was found, and how to name it to the user.</summary>
/// <param name="Path">The file, absolute (or <c>-</c> for standard input).</param>
/// <param name="Source">The name messages use: the value as given, or the path relative to the working folder.</param>
/// <param name="Label">What named it: <c>--config</c>, <c>KEYLESS_CONFIG</c>, or <c>keyless.json</c> when it was found.</param>
public sealed record KeylessConfigLocation(string Path, string Source, string Label);

/// <summary>
/// The one rule every command and the CDK app use to find <c>keyless.json</c>: <c>--config FILE</c> when given,
/// else <c>$KEYLESS_CONFIG</c> when set, else the nearest <c>keyless.json</c> from the working folder up to the
/// repository root (the folder holding <c>.git</c>) or the filesystem root, else none.
/// </summary>
public static class KeylessConfigFile
{
    public const string Option = "--config";

    public const string Variable = "KEYLESS_CONFIG";

    /// <summary>How to provide the file, for the messages of commands that need one.</summary>
    public const string HowToProvide = $"Pass {Option} FILE, set {Variable}=FILE, or run keyless in the project (keyless.json is looked for up to the repository root).";

    /// <summary>Which file the rule picks; null when there is none. A named file is not checked here: reading it is.</summary>
    public static KeylessConfigLocation? Locate(string? option, Func<string, string?> variables, string workingFolder)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (option is not null)
        {
            return Named(option, Option, workingFolder);
        }

        if (variables(Variable) is { Length: > 0 } configured)
        {
            return Named(configured, Variable, workingFolder);
        }

        for (var folder = new DirectoryInfo(workingFolder); folder is not null; folder = folder.Parent)
        {
            var path = System.IO.Path.Combine(folder.FullName, KeylessConfig.FileName);
            if (File.Exists(path))
            {
                return new KeylessConfigLocation(path, System.IO.Path.GetRelativePath(workingFolder, path), KeylessConfig.FileName);
            }

            if (Directory.Exists(System.IO.Path.Combine(folder.FullName, ".git")) || File.Exists(System.IO.Path.Combine(folder.FullName, ".git")))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The config the rule picks from <paramref name="files"/>' working folder, read and checked; null when there is none.</summary>
    public static KeylessConfig? Load(string? option, Func<string, string?> variables, InputFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Locate(option, variables, files.WorkingFolder) is { } location ? Read(location, files) : null;
    }

    /// <summary>Reads and checks a located file; every way it can be unusable is an input error naming how it was named.</summary>
    public static KeylessConfig Read(KeylessConfigLocation location, InputFiles files)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(files);
        return KeylessConfigParser.Parse(location.Source, files.Read(location.Path, location.Label));
    }

    /// <summary>The error for a command that needs the config when there is none.</summary>
    public static KeylessException Missing(string need, string workingFolder) =>
        KeylessException.Input($"{need} reads {KeylessConfig.FileName}, and there is none in {workingFolder} or above. {HowToProvide}");

    private static KeylessConfigLocation Named(string value, string label, string workingFolder) =>
        new(value == "-" || value.Trim().Length == 0 ? value : System.IO.Path.GetFullPath(value, workingFolder), value, label);
}
