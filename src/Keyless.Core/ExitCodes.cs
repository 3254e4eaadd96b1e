namespace Keyless.Core;

/// <summary>Every exit code keyless returns; docs/exit-codes.md lists them all.</summary>
public static class ExitCodes
{
    /// <summary>Success: allowed, valid, no error-level finding, deployed.</summary>
    public const int Success = 0;

    /// <summary>The answer is no: denied, invalid, error-level findings, or the operation failed.</summary>
    public const int Failed = 1;

    /// <summary>Unusable input: a missing file, malformed JSON, an unknown option or value.</summary>
    public const int UnusableInput = 2;

    /// <summary>A bug in keyless: printed with its stack trace so it can be reported.</summary>
    public const int Bug = 70;

    /// <summary>Interrupted (Ctrl-C).</summary>
    public const int Cancelled = 130;
}
