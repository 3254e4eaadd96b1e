using System.Text.Json;
using Json.Schema;
using Keyless.Testing;

namespace Keyless.Core.Tests.Configuration;

/// <summary>keyless.schema.json, loaded once: the schema library refuses to register the same schema twice.</summary>
internal static class KeylessSchema
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Repository.Path("keyless.schema.json")));

    public static bool IsValid(string json) =>
        Schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;
}
