using Keyless.Core;

namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>Assertions shared by the tests: exit codes with the whole run in the failure message, no stack traces.</summary>
internal static class CliAssert
{
    public static void ExitCode(int expected, CliResult result)
    {
        if (result.ExitCode != expected)
        {
            Assert.Fail($"Expected exit code {expected}, got {result}");
        }
    }

    /// <summary>A user mistake: one readable error on stderr, exit 2, nothing on stdout, no stack trace.</summary>
    public static void UnusableInput(CliResult result)
    {
        ExitCode(ExitCodes.UnusableInput, result);
        Assert.StartsWith("error:", result.Errors, StringComparison.Ordinal);
        Assert.True(result.Output.Length == 0, $"Expected nothing on stdout, got {result}");
        NoStackTrace(result);
    }

    public static void NoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("This is a bug", result.Errors, StringComparison.Ordinal);
    }
}
