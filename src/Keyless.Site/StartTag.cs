namespace Keyless.Site;

/// <summary>An attribute as written in a start tag: where its value's text lies and how it is quoted.</summary>
internal readonly record struct RawAttribute(string Name, int ValueStart, int ValueEnd, char Quote);

/// <summary>
/// Reads a start tag from the page's text, as HTML's tokenizer does, to find where each attribute's value is
/// written; the builder edits those bytes only, so everything else in a page stays exactly as written.
/// </summary>
internal static class StartTag
{
    /// <summary>The attributes of the start tag whose <c>&lt;</c> is at <paramref name="lt"/>, and the index after its <c>&gt;</c>.</summary>
    public static (List<RawAttribute> Attributes, int End) Read(string text, int lt)
    {
        ArgumentNullException.ThrowIfNull(text);
        var attributes = new List<RawAttribute>();
        var i = lt + 1;
        while (i < text.Length && !IsSpace(text[i]) && text[i] is not '/' and not '>')
        {
            i++;
        }

        while (true)
        {
            while (i < text.Length && (IsSpace(text[i]) || text[i] == '/'))
            {
                i++;
            }

            if (i >= text.Length)
            {
                return (attributes, text.Length);
            }

            if (text[i] == '>')
            {
                return (attributes, i + 1);
            }

            var nameStart = i;
            i++;
            while (i < text.Length && !IsSpace(text[i]) && text[i] is not '/' and not '>' and not '=')
            {
                i++;
            }

            var name = text[nameStart..i].ToLowerInvariant();
            var afterName = i;
            while (i < text.Length && IsSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length || text[i] != '=')
            {
                attributes.Add(new RawAttribute(name, afterName, afterName, '\0'));
                i = afterName;
                continue;
            }

            i++;
            while (i < text.Length && IsSpace(text[i]))
            {
                i++;
            }

            if (i < text.Length && text[i] is '"' or '\'')
            {
                var quote = text[i];
                var end = text.IndexOf(quote, i + 1);
                end = end < 0 ? text.Length : end;
                attributes.Add(new RawAttribute(name, i + 1, end, quote));
                i = Math.Min(end + 1, text.Length);
            }
            else
            {
                var start = i;
                while (i < text.Length && !IsSpace(text[i]) && text[i] != '>')
                {
                    i++;
                }

                attributes.Add(new RawAttribute(name, start, i, '\0'));
            }
        }
    }

    /// <summary>A value written back: in its own quotes, or in double quotes when it was unquoted.</summary>
    public static string Quote(string value, char quote)
    {
        ArgumentNullException.ThrowIfNull(value);
        var escaped = value.Replace("&", "&amp;", StringComparison.Ordinal);
        return quote == '\''
            ? "'" + escaped.Replace("'", "&#39;", StringComparison.Ordinal) + "'"
            : "\"" + escaped.Replace("\"", "&quot;", StringComparison.Ordinal) + "\"";
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';
}
