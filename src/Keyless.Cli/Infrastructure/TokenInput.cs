using Keyless.Identity;
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

    public static string Read(string? option, Func<string, string?> environment) => ReadWithSource(option, environment).Token;

    /// <summary>The token decoded (not verified); an error naming where it came from when it is not a JWT.</summary>
    public static IdToken Decode(string? option)
    {
        var (token, source) = ReadWithSource(option, Environment.GetEnvironmentVariable);
        try
        {
            return IdToken.Decode(token);
        }
        catch (KeylessException e) when (e.Kind == FailureKind.UnusableInput)
        {
            throw KeylessException.Input($"{source}: {e.Message}");
        }
    }

    private static (string Token, string Source) ReadWithSource(string? option, Func<string, string?> environment)
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
        return token.Length > 0 ? (token, source) : throw KeylessException.Input($"{source}: empty; expected an ID token (header.payload.signature).");
    }
}
