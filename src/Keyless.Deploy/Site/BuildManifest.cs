using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keyless.Deploy.Site;

/// <summary>One file of a build: its content hash and size, whether its name carries the hash, whether it is an entry point, and its source.</summary>
public sealed record BuildFile(
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("fingerprinted")] bool Fingerprinted,
    [property: JsonPropertyName("entryPoint")] bool EntryPoint,
    [property: JsonPropertyName("original")] string Original);

/// <summary>
/// <c>&lt;out&gt;/.keyless-build.json</c>, what <c>keyless site build</c> leaves for <c>keyless deploy</c>: every file
/// of the output by its path (relative, <c>/</c>-separated, sorted), with <see cref="BuildFile"/>'s facts.
/// Fingerprinted files never change under their name (cache them for a year, immutable); entry points (pages,
/// robots.txt, favicon.ico…) keep their names and change in place.
/// </summary>
public sealed record BuildManifest(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("files")] IReadOnlyDictionary<string, BuildFile> Files)
{
    public const string FileName = ".keyless-build.json";

    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>Reads a manifest; null when the text is not one (not JSON, or without a version and files).</summary>
    public static BuildManifest? TryParse(string json)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<BuildManifest>(json, Options);
            return manifest is { Version: > 0, Files: not null, Source: not null } ? manifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
