using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keyless.Core.Contracts;

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
/// <remarks>
/// The reader asks only for what deploy needs — a supported <c>version</c> and, per file, whether it is
/// fingerprinted — so a hand-written <c>{"version":1,"files":{"a.1f2e3d4c.js":{"fingerprinted":true}}}</c> is read
/// too: facts a file omits read as empty or false, and deploy treats a file not fingerprinted as an entry point.
/// </remarks>
public sealed record BuildManifest(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("files")] IReadOnlyDictionary<string, BuildFile> Files)
{
    public const string FileName = ".keyless-build.json";

    /// <summary>The version this keyless writes and the only one it reads.</summary>
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file's text: indented JSON with <c>\n</c> line ends, ending in one.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";

    /// <summary>Reads the manifest from a folder (a build's output); null when the folder has none.</summary>
    public static BuildManifest? Load(string folder, InputFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var path = Path.Combine(folder, FileName);
        return files.FileExists(path) ? Parse(path, files.Read(path, "--site")) : null;
    }

    /// <summary>Reads a manifest's text; an input error naming <paramref name="source"/> when it is not one this keyless reads.</summary>
    public static BuildManifest Parse(string source, string json) =>
        Read(source, json, out var problem) ?? throw KeylessException.Input(problem!);

    /// <summary>Reads a manifest's text; null when it is not one this keyless reads.</summary>
    public static BuildManifest? TryParse(string json) => Read(FileName, json, out _);

    private static BuildManifest? Read(string source, string json, out string? problem)
    {
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                problem = Bad(source, "no \"version\" number");
                return null;
            }

            if (!version.TryGetInt32(out var number) || number != CurrentVersion)
            {
                problem = $"{source}: build manifest version {version.GetRawText()} is not supported; this keyless reads version {CurrentVersion}. Build the site with the same keyless version that deploys it.";
                return null;
            }

            var files = new SortedDictionary<string, BuildFile>(StringComparer.Ordinal);
            if (root.TryGetProperty("files", out var listed))
            {
                if (listed.ValueKind != JsonValueKind.Object)
                {
                    problem = Bad(source, "\"files\" is not an object");
                    return null;
                }

                foreach (var file in listed.EnumerateObject())
                {
                    files[file.Name.TrimStart('/')] = ReadFile(file.Value);
                }
            }

            return new BuildManifest(number, Text(root, "source"), files);
        }
        catch (JsonException e)
        {
            problem = Bad(source, $"not valid JSON ({e.Message.Split(". ")[0]})");
            return null;
        }
    }

    private static BuildFile ReadFile(JsonElement file)
    {
        if (file.ValueKind != JsonValueKind.Object)
        {
            return new BuildFile("", 0, Fingerprinted: false, EntryPoint: false, "");
        }

        var size = file.TryGetProperty("size", out var value) && value.TryGetInt64(out var bytes) ? bytes : 0;
        return new BuildFile(Text(file, "sha256"), size, Flag(file, "fingerprinted"), Flag(file, "entryPoint"), Text(file, "original"));
    }

    private static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";

    private static string Bad(string source, string problem) =>
        $"{source}: {problem}; expected the build manifest keyless site build writes, {{\"version\":1,\"files\":{{\"PATH\":{{\"fingerprinted\":true}}, …}}}}. Rebuild the site, or delete the file to classify files by their names.";
}
