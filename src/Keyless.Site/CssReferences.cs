using System.Globalization;
using System.Text;

namespace Keyless.Site;

/// <summary>
/// A URL written in CSS: <see cref="Start"/> and <see cref="Length"/> delimit its text as written (inside the
/// quotes, if any), <see cref="Url"/> is its value with CSS escapes undone.
/// </summary>
internal readonly record struct CssReference(int Start, int Length, string Url, bool IsImport);

/// <summary>
/// Finds the URLs of a stylesheet, the way CSS's tokenizer sees them: <c>url(…)</c> quoted or not, and the
/// string form of <c>@import "…"</c>; comments and other strings are skipped, so <c>content: "url(x)"</c> is
/// not a reference.
/// </summary>
internal static class CssReferences
{
    public static List<CssReference> Find(string css)
    {
        ArgumentNullException.ThrowIfNull(css);
        var found = new List<CssReference>();
        var afterImport = false;
        var i = 0;
        while (i < css.Length)
        {
            var c = css[i];
            if (c == '/' && i + 1 < css.Length && css[i + 1] == '*')
            {
                var end = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? css.Length : end + 2;
            }
            else if (c is '"' or '\'')
            {
                var (start, end, next) = ReadString(css, i);
                if (afterImport)
                {
                    found.Add(new CssReference(start, end - start, Unescape(css[start..end]), IsImport: true));
                    afterImport = false;
                }

                i = next;
            }
            else if (c == '\\')
            {
                i += 2;
            }
            else if (c == '@')
            {
                var end = ReadName(css, i + 1);
                afterImport = string.Equals(css[(i + 1)..end], "import", StringComparison.OrdinalIgnoreCase);
                i = end;
            }
            else if (IsNameStart(c))
            {
                var end = ReadName(css, i);
                if (end < css.Length && css[end] == '(' && string.Equals(css[i..end], "url", StringComparison.OrdinalIgnoreCase))
                {
                    var (reference, next) = ReadUrl(css, end + 1, afterImport);
                    if (reference is { } r)
                    {
                        found.Add(r);
                    }

                    afterImport = false;
                    i = next;
                }
                else
                {
                    i = end;
                }
            }
            else
            {
                if (c is ';' or '{' or '}')
                {
                    afterImport = false;
                }

                i++;
            }
        }

        return found;
    }

    /// <summary>The 1-based line of an offset.</summary>
    public static int LineOf(string text, int offset)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = 1;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private static (CssReference? Reference, int Next) ReadUrl(string css, int i, bool isImport)
    {
        i = SkipWhitespace(css, i);
        if (i < css.Length && css[i] is '"' or '\'')
        {
            var (start, end, next) = ReadString(css, i);
            next = SkipWhitespace(css, next);
            if (next < css.Length && css[next] == ')')
            {
                next++;
            }

            return (new CssReference(start, end - start, Unescape(css[start..end]), isImport), next);
        }

        var first = i;
        while (i < css.Length && css[i] != ')' && !char.IsWhiteSpace(css[i]))
        {
            i += css[i] == '\\' ? 2 : 1;
        }

        i = Math.Min(i, css.Length);
        var last = i;
        i = SkipWhitespace(css, i);
        if (i < css.Length && css[i] == ')')
        {
            i++;
        }

        return last == first ? (null, i) : (new CssReference(first, last - first, Unescape(css[first..last]), isImport), i);
    }

    /// <summary>Reads a string token starting at its quote: the content's bounds and the index after it.</summary>
    private static (int Start, int End, int Next) ReadString(string css, int quote)
    {
        var q = css[quote];
        var i = quote + 1;
        while (i < css.Length && css[i] != q && css[i] != '\n')
        {
            i += css[i] == '\\' ? 2 : 1;
        }

        var end = Math.Min(i, css.Length);
        return (quote + 1, end, end < css.Length && css[end] == q ? end + 1 : end);
    }

    private static int ReadName(string css, int i)
    {
        while (i < css.Length && (IsNameStart(css[i]) || char.IsAsciiDigit(css[i])))
        {
            i++;
        }

        return i;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or '-' || c > 0x7f;

    private static int SkipWhitespace(string css, int i)
    {
        while (i < css.Length && char.IsWhiteSpace(css[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>Undoes CSS escapes: <c>\</c> and up to six hex digits (and one optional space), or <c>\</c> and any other character.</summary>
    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 >= value.Length)
            {
                result.Append(value[i]);
                continue;
            }

            var hex = 0;
            while (hex < 6 && i + 1 + hex < value.Length && char.IsAsciiHexDigit(value[i + 1 + hex]))
            {
                hex++;
            }

            if (hex == 0)
            {
                if (value[i + 1] != '\n')
                {
                    result.Append(value[i + 1]);
                }

                i++;
                continue;
            }

            var code = int.Parse(value.AsSpan(i + 1, hex), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            result.Append(code is > 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32(code) : "\uFFFD");
            i += hex;
            if (i + 1 < value.Length && value[i + 1] == ' ')
            {
                i++;
            }
        }

        return result.ToString();
    }
}
