namespace Keyless.Identity.Tests.Exchange;

/// <summary>
/// Collects the secrets a test handles (the ID token, the secret access key, the session token) and every text
/// it captured (output, error output, exception messages), then asserts that no text contains a secret.
/// A failure names the text and the secret's kind, never the secret.
/// </summary>
internal sealed class Leaks
{
    private readonly List<(string Kind, string Value)> _secrets = [];
    private readonly List<(string Where, string Text)> _texts = [];

    public void Secret(string kind, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _secrets.Add((kind, value));
        }
    }

    public void Seen(string where, string? text) => _texts.Add((where, text ?? ""));

    /// <summary>The exception's messages, inner ones included, and its ToString.</summary>
    public void Seen(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            Seen($"message of {e.GetType().Name}", e.Message);
        }

        Seen("exception ToString", exception.ToString());
    }

    public void AssertNone()
    {
        Assert.NotEmpty(_secrets);
        Assert.NotEmpty(_texts);
        var found = (from text in _texts
                     from secret in _secrets
                     where text.Text.Contains(secret.Value, StringComparison.Ordinal)
                     select $"{text.Where} contains the {secret.Kind}").ToList();
        Assert.True(found.Count == 0, string.Join("; ", found));
    }
}
