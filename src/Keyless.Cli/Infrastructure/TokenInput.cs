using Keyless.Core;
using Keyless.Identity;
using Keyless.Identity.Exchange;

namespace Keyless.Cli.Infrastructure;

/// <summary>
/// Where a command gets the ID token: <c>--token FILE</c> (or <c>-</c> for standard input), else the job's token
/// as <see cref="TokenSource"/> finds it (<c>KEYLESS_ID_TOKEN</c>, then the file <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>
/// names). The token's text is checked by <see cref="IdTokenText"/>; it is a credential: read, never echoed.
/// </summary>
public static class TokenInput
{
    public const string TokenVariable = EnvironmentNames.IdToken;
    public const string TokenFileVariable = EnvironmentNames.WebIdentityTokenFile;

    /// <summary>The token's text; <paramref name="files"/> reads <c>--token FILE</c> and the file a variable names.</summary>
    public static string Read(string? option, Func<string, string?> environment, InputFiles files) => ReadWithSource(option, environment, files).Token;

    /// <summary>The token decoded (not verified); an error naming where it came from when it is not a JWT.</summary>
    public static IdToken Decode(string? option, Func<string, string?> environment, InputFiles files)
    {
        var (token, source) = ReadWithSource(option, environment, files);
        return IdTokenText.Decode(source, token);
    }

    private static (string Token, string Source) ReadWithSource(string? option, Func<string, string?> environment, InputFiles files)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(files);
        if (option is not null)
        {
            if (LooksLikeAToken(option, files))
            {
                // Never echo it: a "no such file" message naming the value would print the credential.
                throw KeylessException.Input("--token: the value is an ID token itself, not a file holding one (keyless does not print it). Write the token to a file and pass --token FILE, or pipe it with --token -.");
            }

            var source = option == "-" ? "--token - (standard input)" : $"--token {option}";
            return (IdTokenText.Read(source, files.Read(option, "--token")), source);
        }

        if (string.IsNullOrWhiteSpace(environment(TokenVariable)) && string.IsNullOrWhiteSpace(environment(TokenFileVariable)))
        {
            throw KeylessException.Input($"No ID token: pass --token FILE (or --token - for standard input), or set {TokenVariable} (the token) or {TokenFileVariable} (a file holding it).");
        }

        var job = new TokenSource(new Variables(environment), files).Read();
        return (job.Value, job.Origin);
    }

    /// <summary>A JWT's shape: three dot-separated parts, the header's JSON starting <c>{"</c> (base64url <c>eyJ</c>).</summary>
    private static bool LooksLikeAToken(string value, InputFiles files) =>
        value.StartsWith("eyJ", StringComparison.Ordinal) && value.Count(c => c == '.') == 2 && !files.FileExists(value);

    private sealed class Variables(Func<string, string?> read) : IEnvironment
    {
        public string? Variable(string name) => read(name);
    }
}
