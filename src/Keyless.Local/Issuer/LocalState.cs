using Keyless.Core;

namespace Keyless.Local.Issuer;

/// <summary>
/// Where Keyless keeps local state: <c>$KEYLESS_STATE_DIR</c> when set, else <c>.keyless</c> under the working
/// folder. The local issuer's key and <c>issuer.json</c> live in <c>&lt;state&gt;/local/issuer</c>.
/// </summary>
public static class LocalState
{
    public const string EnvironmentVariable = "KEYLESS_STATE_DIR";
    public const string DefaultFolderName = ".keyless";

    /// <summary>
    /// The state folder, absolute: <paramref name="explicitRoot"/>, else <c>$KEYLESS_STATE_DIR</c> of
    /// <paramref name="variables"/>, else <c>.keyless</c>; relative ones are relative to <paramref name="workingFolder"/>.
    /// </summary>
    public static string Root(string? explicitRoot, Func<string, string?> variables, string workingFolder)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var fromEnvironment = variables(EnvironmentVariable);
        var root = Path.GetFullPath(
            !string.IsNullOrWhiteSpace(explicitRoot) ? explicitRoot
            : string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultFolderName
            : fromEnvironment,
            workingFolder);
        return File.Exists(root) ? throw Unusable(root, new IOException("a file")) : root;
    }

    /// <summary>The local issuer's folder inside the state folder <paramref name="root"/>.</summary>
    public static string IssuerDirectory(string root) => Path.Combine(root, "local", "issuer");

    /// <summary>
    /// The input error for a folder of the state that cannot be made: it names the file standing where a folder
    /// is needed (the usual cause: --state naming a file), or the reason the system gave.
    /// </summary>
    public static KeylessException Unusable(string directory, Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        for (var folder = Path.GetFullPath(directory); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                return KeylessException.Input($"The state folder cannot be made at {directory}: {folder} is a file. Pass --state DIR (or set ${EnvironmentVariable}) naming a folder; it is made when missing.");
            }
        }

        var reason = cause is UnauthorizedAccessException ? "permission denied" : cause.Message;
        return KeylessException.Input($"The state folder cannot be made at {directory} ({reason}). Pass --state DIR (or set ${EnvironmentVariable}) naming a folder you can write.");
    }
}
