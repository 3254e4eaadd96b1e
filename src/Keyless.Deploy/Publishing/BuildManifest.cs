using System.Text.Json;
using Keyless.Trust;

namespace Keyless.Deploy.Publishing;

/// <summary>
/// What <c>keyless site build</c> says about the files it wrote (<c>.keyless-build.json</c> in the site folder):
/// <c>{"version":1,"files":{"assets/app.3f9a1c2b.css":{"fingerprinted":true},"index.html":{"entryPoint":true}}}</c>.
/// A listed file is fingerprinted exactly when it says so; files it does not list go to the heuristic.
/// </summary>
public sealed class BuildManifest
{
    public const string FileName = ".keyless-build.json";
    public const int SupportedVersion = 1;

    private readonly Dictionary<string, FileKind> _kinds;

    private BuildManifest(Dictionary<string, FileKind> kinds) => _kinds = kinds;

    public FileKind? KindOf(string path) => _kinds.TryGetValue(path, out var kind) ? kind : null;

    /// <summary>Reads the manifest from the site folder; null when the folder has none.</summary>
    public static BuildManifest? Load(string siteFolder)
    {
        var path = Path.Combine(siteFolder, FileName);
        return File.Exists(path) ? Parse(path, File.ReadAllText(path)) : null;
    }

    public static BuildManifest Parse(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number)
            {
                throw Bad(source, "no \"version\" number");
            }

            if (!version.TryGetInt32(out var number) || number != SupportedVersion)
            {
                throw KeylessException.Input($"{source}: build manifest version {version.GetRawText()} is not supported; this keyless reads version {SupportedVersion}. Build the site with the same keyless version that deploys it.");
            }

            var kinds = new Dictionary<string, FileKind>(StringComparer.Ordinal);
            if (root.TryGetProperty("files", out var files))
            {
                if (files.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(source, "\"files\" is not an object");
                }

                foreach (var file in files.EnumerateObject())
                {
                    var fingerprinted = file.Value.ValueKind == JsonValueKind.Object
                        && file.Value.TryGetProperty("fingerprinted", out var flag)
                        && flag.ValueKind == JsonValueKind.True;
                    kinds[file.Name.TrimStart('/')] = fingerprinted ? FileKind.Fingerprinted : FileKind.EntryPoint;
                }
            }

            return new BuildManifest(kinds);
        }
        catch (JsonException e)
        {
            throw Bad(source, $"not valid JSON ({e.Message.Split(". ")[0]})");
        }
    }

    private static KeylessException Bad(string source, string problem) =>
        KeylessException.Input($"{source}: {problem}; expected the build manifest keyless site build writes, {{\"version\":1,\"files\":{{\"PATH\":{{\"fingerprinted\":true}}, …}}}}. Rebuild the site, or delete the file to classify files by their names.");
}
