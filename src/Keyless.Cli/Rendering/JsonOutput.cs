using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keyless.Cli.Commands;
using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>Machine output: indented camelCase JSON written as-is, never wrapped or styled.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Write(IAnsiConsole console, object value) =>
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Options));

    /// <summary>A command's result in its --format: with json the document alone, otherwise the text for people.</summary>
    public static void WriteResult(IAnsiConsole console, OutputFormat format, Func<object> json, Action text)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(text);
        if (format == OutputFormat.Json)
        {
            Write(console, json());
        }
        else
        {
            text();
        }
    }
}
