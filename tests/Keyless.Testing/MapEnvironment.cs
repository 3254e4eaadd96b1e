using Keyless.Core;

namespace Keyless.Testing;

/// <summary>An environment in a dictionary: the whole world the command sees.</summary>
public sealed class MapEnvironment : IEnvironment
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string? this[string name]
    {
        get => _values.GetValueOrDefault(name);
        set
        {
            if (value is null)
            {
                _values.Remove(name);
            }
            else
            {
                _values[name] = value;
            }
        }
    }

    public string? Variable(string name) => this[name];
}
