namespace Keyless.Core;

/// <summary>What kind of expected failure a <see cref="KeylessException"/> reports; the CLI maps it to an exit code.</summary>
public enum FailureKind
{
    /// <summary>The user's input cannot be used: a file, a field or a value is wrong.</summary>
    UnusableInput,

    /// <summary>The input was fine but the operation was refused or failed (a denied exchange, a failed deploy).</summary>
    Failed,
}

/// <summary>
/// The one way Keyless reports an expected failure: a message that names what was wrong, the value found,
/// what was expected and how to fix it. Anything else that escapes is a bug.
/// </summary>
public class KeylessException : Exception
{
    public KeylessException(FailureKind kind, string message)
        : base(message) => Kind = kind;

    public KeylessException(FailureKind kind, string message, Exception inner)
        : base(message, inner) => Kind = kind;

    public FailureKind Kind { get; }

    /// <summary>An input error that points at a place in a JSON document.</summary>
    public static KeylessException AtJson(string source, string jsonPath, string found, string expected) =>
        new(FailureKind.UnusableInput, $"{source}: at {jsonPath}: found {found}; expected {expected}.");

    public static KeylessException Input(string message) => new(FailureKind.UnusableInput, message);
}
