using System.Globalization;
using System.Text.Json;
using Keyless.Core;
using Keyless.Deploy.Publishing;

namespace Keyless.Deploy.Releases;

/// <summary>
/// Reads and writes release records and the pointer. What is read back from the bucket is checked field by
/// field: a damaged or hand-edited record must stop a deploy, not make it delete the wrong files.
/// </summary>
public static class ReleaseJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static byte[] Write(ReleaseRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", ReleaseRecord.Version);
            writer.WriteString("release", record.Release);
            writer.WriteString("createdAt", Time(record.CreatedAt));
            if (record.Commit is { } commit)
            {
                writer.WriteString("commit", commit);
            }

            if (record.Pipeline is { } pipeline)
            {
                writer.WriteString("pipeline", pipeline);
            }

            writer.WriteStartArray("files");
            foreach (var file in record.Files)
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteNumber("size", file.Size);
                writer.WriteString("md5", file.Md5);
                writer.WriteString("sha256", file.Sha256);
                writer.WriteString("contentType", file.ContentType);
                writer.WriteString("cacheControl", file.CacheControl);
                writer.WriteString("kind", file.Kind == FileKind.Fingerprinted ? "fingerprinted" : "entryPoint");
                if (file.VersionId is { } versionId)
                {
                    writer.WriteString("versionId", versionId);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public static byte[] Write(ReleasePointer pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        return Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", ReleasePointer.Version);
            writer.WriteString("release", pointer.Release);
            writer.WriteString("publishedAt", Time(pointer.PublishedAt));
            writer.WriteStartArray("history");
            foreach (var publication in pointer.History)
            {
                writer.WriteStartObject();
                writer.WriteString("release", publication.Release);
                writer.WriteString("at", Time(publication.At));
                writer.WriteString("action", publication.Action);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public static ReleaseRecord ReadRecord(string source, byte[] content) => Read(source, content, root =>
    {
        CheckVersion(source, root, ReleaseRecord.Version);
        var release = ReleaseId(source, root, "release");
        var files = Property(source, root, "files", JsonValueKind.Array).EnumerateArray().Select((item, i) =>
        {
            var at = $"files[{i}]";
            var path = Text(source, item, "path", at);
            if (path.StartsWith('/') || path.Split('/').Any(s => s.Length == 0 || s is "." or ".." || s.StartsWith(".keyless", StringComparison.Ordinal)))
            {
                throw Damaged(source, $"{at}.path \"{path}\" is not a site path");
            }

            var size = Property(source, item, "size", JsonValueKind.Number, at).TryGetInt64(out var n) && n >= 0 ? n : throw Damaged(source, $"{at}.size is not a size");
            var kind = Text(source, item, "kind", at) switch
            {
                "fingerprinted" => FileKind.Fingerprinted,
                "entryPoint" => FileKind.EntryPoint,
                var other => throw Damaged(source, $"{at}.kind \"{other}\" is neither fingerprinted nor entryPoint"),
            };
            return new ReleaseFile(path, size, Hex(source, item, "md5", 32, at), Hex(source, item, "sha256", 64, at), Text(source, item, "contentType", at), Text(source, item, "cacheControl", at), kind)
            {
                VersionId = OptionalText(item, "versionId"),
            };
        }).ToList();
        return new ReleaseRecord(release, Timestamp(source, root, "createdAt"), files)
        {
            Commit = OptionalText(root, "commit"),
            Pipeline = OptionalText(root, "pipeline"),
        };
    });

    public static ReleasePointer ReadPointer(string source, byte[] content) => Read(source, content, root =>
    {
        CheckVersion(source, root, ReleasePointer.Version);
        var history = Property(source, root, "history", JsonValueKind.Array).EnumerateArray().Select((item, i) =>
            new Publication(ReleaseId(source, item, "release", $"history[{i}]"), Timestamp(source, item, "at", $"history[{i}]"), Text(source, item, "action", $"history[{i}]"))).ToList();
        if (history.Count == 0 || history[0].Release != ReleaseId(source, root, "release"))
        {
            throw Damaged(source, "\"release\" is not the first entry of \"history\"");
        }

        return new ReleasePointer(history);
    });

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            write(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static T Read<T>(string source, byte[] content, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? read(document.RootElement)
                : throw Damaged(source, "it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw Damaged(source, $"it is not valid JSON ({e.Message.Split(". ")[0]})");
        }
    }

    private static void CheckVersion(string source, JsonElement root, int supported)
    {
        var version = Property(source, root, "version", JsonValueKind.Number);
        if (!version.TryGetInt32(out var number) || number != supported)
        {
            throw new KeylessException(FailureKind.Failed, $"{source} has version {version.GetRawText()}; this keyless reads version {supported}. A newer keyless deployed here: use it (or a newer one) for this bucket.");
        }
    }

    private static JsonElement Property(string source, JsonElement obj, string name, JsonValueKind kind, string at = "")
    {
        var path = at.Length == 0 ? name : $"{at}.{name}";
        return obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw Damaged(source, $"\"{path}\" is missing or not a {kind.ToString().ToLowerInvariant()}");
    }

    private static string Text(string source, JsonElement obj, string name, string at = "") =>
        Property(source, obj, name, JsonValueKind.String, at).GetString() is { Length: > 0 } text
            ? text
            : throw Damaged(source, $"\"{(at.Length == 0 ? name : $"{at}.{name}")}\" is empty");

    private static string? OptionalText(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ReleaseId(string source, JsonElement obj, string name, string at = "")
    {
        var id = Text(source, obj, name, at);
        return Releases.ReleaseId.IsValid(id) ? id : throw Damaged(source, $"\"{name}\" \"{id}\" is not a release id");
    }

    private static string Hex(string source, JsonElement obj, string name, int length, string at)
    {
        var text = Text(source, obj, name, at);
        return text.Length == length && text.All(char.IsAsciiHexDigitLower) ? text : throw Damaged(source, $"{at}.{name} is not {length} lower-case hex digits");
    }

    private static DateTimeOffset Timestamp(string source, JsonElement obj, string name, string at = "") =>
        DateTimeOffset.TryParse(Text(source, obj, name, at), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw Damaged(source, $"\"{name}\" is not a time");

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static KeylessException Damaged(string source, string problem) =>
        new(FailureKind.Failed, $"{source} is damaged: {problem}. It is keyless's deploy state, written only by keyless; restore it from the bucket's versions, or remove .keyless/current.json to start over (the next deploy then uploads every file and keeps nothing for rollback). Nothing was changed.");
}
