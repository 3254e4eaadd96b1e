using Keyless.Trust;

namespace Keyless.Cli.Infrastructure;

/// <summary>
/// Where a command gets the ID token: <c>--token FILE</c> (or <c>-</c> for standard input), else the job's token
/// from <c>KEYLESS_ID_TOKEN</c> (the token itself), else the file <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> names.
/// The token is a credential: it is read, never echoed.
/// </summary>
public static class TokenInput
{
    public const string TokenVariable = "KEYLESS_ID_TOKEN";
    public const string TokenFileVariable = "AWS_WEB_IDENTITY_TOKEN_FILE";

    public static string Read(string? option) => Read(option, Environment.GetEnvironmentVariable);

    public static string Read(string? option, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string text;
        string source;
        if (option is not null)
        {
            text = InputFiles.Read(option, "--token");
            source = option == "-" ? "--token - (standard input)" : $"--token {option}";
        }
        else if (environment(TokenVariable) is { Length: > 0 } value)
        {
            text = value;
            source = TokenVariable;
        }
        else if (environment(TokenFileVariable) is { Length: > 0 } file)
        {
            text = InputFiles.Read(file, TokenFileVariable);
            source = $"{TokenFileVariable} ({file})";
        }
        else
        {
            throw KeylessException.Input($"No ID token: pass --token FILE (or --token - for standard input), or set {TokenVariable} (the token) or {TokenFileVariable} (a file holding it).");
        }

        var token = text.Trim();
        if (token.Length == 0)
        {
            throw KeylessException.Input($"{source}: empty; expected an ID token (header.payload.signature).");
        }

        // Not even a JWT's shape: the wrong file, not a token to judge.
        var parts = token.Split('.');
        return parts.Length == 3 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=')
            ? token
            : throw KeylessException.Input($"{source}: not an ID token; expected a JWT, three base64url parts joined by dots (header.payload.signature), and found {(parts.Length == 3 ? "other characters" : $"{parts.Length} part(s)")}. Name the file that holds the token.");
    }
}
