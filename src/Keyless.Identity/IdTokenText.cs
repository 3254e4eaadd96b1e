using Keyless.Core;

namespace Keyless.Identity;

/// <summary>
/// The one check of a token's text as read from a file, standard input or a variable, with one set of messages
/// that name where it came from (<c>source</c>, e.g. <c>--token token.jwt</c> or <c>$KEYLESS_ID_TOKEN</c>).
/// The text is a credential: no message ever contains it.
/// </summary>
public static class IdTokenText
{
    /// <summary>
    /// The longest token AWS STS accepts as <c>WebIdentityToken</c>
    /// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html).
    /// </summary>
    public const int MaxLength = 20_000;

    /// <summary>The token without surrounding white space; an input error when it is empty or too long to be an ID token.</summary>
    public static string Read(string source, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var token = text.Trim();
        if (token.Length == 0)
        {
            throw KeylessException.Input($"{source} is empty; expected an ID token (a JWT: header.payload.signature).");
        }

        return token.Length <= MaxLength
            ? token
            : throw KeylessException.Input($"{source} holds {token.Length} characters; an ID token is at most {MaxLength} (the most AWS STS accepts). Check that it names the token and not another file.");
    }

    /// <summary><see cref="Read"/>, then the token decoded (not verified); an input error naming the source when it is not a JWT.</summary>
    public static IdToken Decode(string source, string text)
    {
        var token = Read(source, text);
        try
        {
            return IdToken.Decode(token);
        }
        catch (KeylessException e) when (e.Kind == FailureKind.UnusableInput)
        {
            throw KeylessException.Input($"{source} does not hold an ID token: {e.Message} Expected a GitLab ID token (id_tokens in .gitlab-ci.yml).");
        }
    }
}
