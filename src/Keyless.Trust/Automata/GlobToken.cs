namespace Keyless.Trust.Automata;

/// <summary>
/// One piece of an IAM StringLike pattern. The hierarchy is closed: <see cref="GlobLiteral"/>,
/// <see cref="GlobAnyString"/> and <see cref="GlobAnyChar"/>.
/// </summary>
public abstract record GlobToken
{
    private protected GlobToken()
    {
    }

    /// <summary>IAM <c>*</c>: any sequence of chars, including none and including <c>/</c> and <c>:</c>.</summary>
    public static GlobToken AnyString { get; } = new GlobAnyString();

    /// <summary>IAM <c>?</c>: exactly one char.</summary>
    public static GlobToken AnyChar { get; } = new GlobAnyChar();

    /// <summary>Text matched literally (case-sensitively).</summary>
    public static GlobToken Literal(string text) => new GlobLiteral(text);

    /// <summary>
    /// Reads <paramref name="pattern"/> with <c>*</c> and <c>?</c> as wildcards and every other char literally.
    /// Callers that support IAM's <c>${*}</c>, <c>${?}</c> and <c>${$}</c> escapes build the tokens themselves.
    /// </summary>
    public static IReadOnlyList<GlobToken> Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var tokens = new List<GlobToken>();
        var start = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c is not ('*' or '?'))
            {
                continue;
            }

            if (i > start)
            {
                tokens.Add(Literal(pattern[start..i]));
            }

            tokens.Add(c == '*' ? AnyString : AnyChar);
            start = i + 1;
        }

        if (start < pattern.Length)
        {
            tokens.Add(Literal(pattern[start..]));
        }

        return tokens;
    }
}

/// <summary>Text matched literally (case-sensitively).</summary>
public sealed record GlobLiteral : GlobToken
{
    /// <summary>Creates a literal token.</summary>
    public GlobLiteral(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>The literal text.</summary>
    public string Text { get; }
}

/// <summary>IAM <c>*</c>: any sequence of chars, including none.</summary>
public sealed record GlobAnyString : GlobToken;

/// <summary>IAM <c>?</c>: exactly one char.</summary>
public sealed record GlobAnyChar : GlobToken;
