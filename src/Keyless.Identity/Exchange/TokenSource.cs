using Keyless.Core;

namespace Keyless.Identity.Exchange;

/// <summary>A token as read, and where from: <c>KEYLESS_ID_TOKEN</c> or the file <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> names.</summary>
public sealed record JobToken(string Value, string Origin)
{
    /// <summary>Never the token itself: it is a credential.</summary>
    public override string ToString() => $"the ID token from {Origin} ({Value.Length} characters)";
}

/// <summary>
/// Finds the job's ID token: the configured variable first, then the file <c>AWS_WEB_IDENTITY_TOKEN_FILE</c>
/// names, as the AWS SDKs read it. Read again before every attempt, so a token refreshed in the file is used.
/// </summary>
/// <param name="environment">Where the variables are read.</param>
/// <param name="files">Where a relative <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> leads.</param>
/// <param name="variable">The variable holding the token itself.</param>
public sealed class TokenSource(IEnvironment environment, InputFiles files, string variable = EnvironmentNames.IdToken)
{
    public string Variable { get; } = string.IsNullOrWhiteSpace(variable)
        ? throw KeylessException.Input("The token variable name is empty; name the environment variable that holds the ID token, e.g. KEYLESS_ID_TOKEN.")
        : variable;

    /// <summary>Reads the token; throws <see cref="FailureKind.UnusableInput"/> when there is none or the file cannot be read.</summary>
    public JobToken Read()
    {
        var fromVariable = environment.Variable(Variable);
        if (!string.IsNullOrWhiteSpace(fromVariable))
        {
            var origin = $"${Variable}";
            return new JobToken(IdTokenText.Read(origin, fromVariable), origin);
        }

        var file = environment.Variable(EnvironmentNames.WebIdentityTokenFile);
        if (!string.IsNullOrWhiteSpace(file))
        {
            return ReadFile(file);
        }

        var empty = fromVariable is null ? "is not set" : "is set but empty";
        throw KeylessException.Input(
            $"No ID token: ${Variable} {empty} and ${EnvironmentNames.WebIdentityTokenFile} is not set. " +
            $"Give the job an ID token in .gitlab-ci.yml (id_tokens: {{ {Variable}: {{ aud: <the audience your IAM OIDC provider lists> }} }}), " +
            $"or write the token to a file and set {EnvironmentNames.WebIdentityTokenFile} to its path.");
    }

    private JobToken ReadFile(string path)
    {
        var origin = $"the file ${EnvironmentNames.WebIdentityTokenFile} names ({path})";
        var text = files.Read(path, "$" + EnvironmentNames.WebIdentityTokenFile);
        return new JobToken(IdTokenText.Read(origin, text), origin);
    }
}
