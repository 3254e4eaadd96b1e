using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keyless.Core;

namespace Keyless.Local.Issuer;

/// <summary>
/// <c>issuer.json</c>: what a running local issuer tells the rest of Keyless (its URL, process, instance and key).
/// Written when the issuer starts, removed when it stops.
/// </summary>
public sealed record IssuerRecord(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("pid")] int ProcessId,
    [property: JsonPropertyName("instance")] string Instance,
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("startedAt")] DateTimeOffset StartedAt)
{
    public const string FileName = "issuer.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>The record in <paramref name="directory"/>, or null when there is none.</summary>
    public static IssuerRecord? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<IssuerRecord>(json, Options)
                ?? throw KeylessException.Input($"{path}: empty; delete it and start `keyless local issuer` again.");
        }
        catch (JsonException)
        {
            throw KeylessException.Input($"{path}: not a local issuer record; delete it and start `keyless local issuer` again.");
        }
    }

    /// <summary>The record of an issuer that is running now; an input error naming the fix otherwise.</summary>
    public static IssuerRecord FindRunning(string directory)
    {
        var record = Read(directory)
            ?? throw KeylessException.Input($"No local issuer is running for the state folder {directory} (no {FileName}). Start one with `keyless local issuer`, or pass --issuer URL.");
        return record.ProcessIsAlive()
            ? record
            : throw KeylessException.Input($"The local issuer recorded in {Path.Combine(directory, FileName)} (process {record.ProcessId}, {record.Url}) is no longer running. Start it again with `keyless local issuer`, or pass --issuer URL.");
    }

    public bool ProcessIsAlive()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    internal void Write(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Options));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the record if it is still this instance's (a newer issuer may have replaced it).</summary>
    internal void Remove(string directory)
    {
        try
        {
            if (Read(directory)?.Instance == Instance)
            {
                File.Delete(Path.Combine(directory, FileName));
            }
        }
        catch (KeylessException)
        {
            // Unreadable: not ours to remove.
        }
    }
}
