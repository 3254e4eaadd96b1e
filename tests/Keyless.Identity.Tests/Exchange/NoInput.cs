using Keyless.Core;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>Files for tests that name them by absolute paths: relative to the temporary folder, no standard input.</summary>
internal static class NoInput
{
    public static InputFiles Files { get; } = new(Path.GetTempPath(), TextReader.Null);
}
