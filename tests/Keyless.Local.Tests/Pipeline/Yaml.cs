using YamlDotNet.RepresentationModel;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>Small reads over YamlDotNet's representation model.</summary>
internal static class Yaml
{
    public static IReadOnlyList<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    public static YamlMappingNode Load(string text) => Documents(text)[0];

    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<string> Texts(this YamlNode node, params string[] path) =>
        node.Get(path) switch
        {
            YamlSequenceNode sequence => [.. sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")],
            YamlScalarNode scalar => [scalar.Value ?? ""],
            _ => [],
        };

    public static IEnumerable<string> Keys(this YamlMappingNode mapping) => mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    /// <summary>Every scalar value under a key named <paramref name="key"/>, anywhere in the tree.</summary>
    public static IEnumerable<string> ValuesOf(this YamlNode node, string key)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (k, v) in mapping.Children)
                {
                    if (k is YamlScalarNode { Value: var name } && name == key && v is YamlScalarNode { Value: { } value })
                    {
                        yield return value;
                    }

                    foreach (var inner in v.ValuesOf(key))
                    {
                        yield return inner;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var inner in sequence.Children.SelectMany(c => c.ValuesOf(key)))
                {
                    yield return inner;
                }

                break;
        }
    }
}
