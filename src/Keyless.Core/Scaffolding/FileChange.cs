namespace Keyless.Core.Scaffolding;

public enum FileState
{
    /// <summary>Not there yet: written.</summary>
    New,

    /// <summary>There with exactly the generated content (or, for a file keyless only adds to, with the lines to add): left alone.</summary>
    Unchanged,

    /// <summary>There with other content: shown as a diff, replaced only with consent (or never, for a file keyless only adds to).</summary>
    Differs,
}

/// <summary>
/// A generated file against what the repository has at its path; the diff goes from what is there to what keyless
/// generates, and is empty unless the file differs.
/// </summary>
public sealed record FileChange(GeneratedFile File, FileState State, string Diff)
{
    public static FileChange Compare(GeneratedFile file, string? existing)
    {
        ArgumentNullException.ThrowIfNull(file);
        return existing is null ? new(file, FileState.New, "")
            : string.Equals(existing, file.Content, StringComparison.Ordinal) ? new(file, FileState.Unchanged, "")
            : file.LinesToAdd is { } lines && existing.Contains(lines, StringComparison.Ordinal) ? new(file, FileState.Unchanged, "")
            : new(file, FileState.Differs, UnifiedDiff.Of(existing, file.Content, $"{file.Path} (in the repository)", $"{file.Path} (generated)"));
    }
}
