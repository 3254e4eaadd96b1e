namespace Keyless.Identity.Local;

/// <summary>
/// Where Keyless keeps local state: <c>$KEYLESS_STATE_DIR</c> when set, else <c>.keyless</c> under the current
/// directory. The local issuer's key and <c>issuer.json</c> live in <c>&lt;state&gt;/local/issuer</c>.
/// </summary>
public static class LocalState
{
    public const string EnvironmentVariable = "KEYLESS_STATE_DIR";
    public const string DefaultFolderName = ".keyless";

    /// <summary>The state folder: <paramref name="explicitRoot"/>, else <c>$KEYLESS_STATE_DIR</c>, else <c>./.keyless</c>.</summary>
    public static string Root(string? explicitRoot = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment)
            ? Path.Combine(Environment.CurrentDirectory, DefaultFolderName)
            : Path.GetFullPath(fromEnvironment);
    }

    /// <summary>The local issuer's folder inside the state folder.</summary>
    public static string IssuerDirectory(string? explicitRoot = null) => Path.Combine(Root(explicitRoot), "local", "issuer");
}
