namespace Keyless.Trust.Evaluation;

/// <summary>A value of the request context: one string for single-valued keys, a set for multivalued ones.</summary>
public sealed record ContextValue(IReadOnlyList<string> Values, bool MultiValued);

/// <summary>The condition keys of one request. Key names are case-insensitive in IAM; values are not.</summary>
public sealed class RequestContext
{
    private readonly Dictionary<string, ContextValue> _values = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<KeyValuePair<string, ContextValue>> Entries => _values;

    public void Set(string key, string value) => _values[key] = new ContextValue([value], false);

    public void SetMany(string key, IReadOnlyList<string> values) => _values[key] = new ContextValue(values, true);

    public ContextValue? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;

    /// <summary>The value of a single-valued key for a policy variable; multivalued keys cannot be variables.</summary>
    public string? Variable(string key) => Get(key) is { MultiValued: false, Values: [var single] } ? single : null;
}
