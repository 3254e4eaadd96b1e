using System.Text.RegularExpressions;

namespace Keyless.Deploy.Publishing;

/// <summary>
/// The heuristic for files the build manifest does not describe: a name with a segment of 8 or more hex
/// digits (at least one of them a digit), such as <c>app.3f9a1c2b.css</c> or <c>chunk-0a1b2c3d4e.js</c>, is
/// fingerprinted; everything else, HTML always, is an entry point. Mistaking an asset for an entry point
/// costs caching; the reverse would cache a changing file for a year, so doubt goes to entry point.
/// </summary>
public static partial class Fingerprints
{
    public static FileKind Classify(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".htm", StringComparison.OrdinalIgnoreCase))
        {
            return FileKind.EntryPoint;
        }

        var dot = name.LastIndexOf('.');
        var stem = dot > 0 ? name[..dot] : name;
        return HashSegment().Matches(stem).Any(m => m.Value.Any(char.IsAsciiDigit))
            ? FileKind.Fingerprinted
            : FileKind.EntryPoint;
    }

    [GeneratedRegex(@"(?<=^|[._~-])[0-9a-fA-F]{8,}(?=$|[._~-])")]
    private static partial Regex HashSegment();
}
