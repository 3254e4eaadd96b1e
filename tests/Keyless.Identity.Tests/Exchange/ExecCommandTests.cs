using Keyless.Identity.Exchange;
using Keyless.Testing;

namespace Keyless.Identity.Tests.Exchange;

/// <summary><c>keyless exec</c> as a separate process against moto_server: what the child gets, and what keyless prints (nothing).</summary>
[Collection(MotoTests.Name)]
public sealed class ExecCommandTests(MotoFixture moto) : IDisposable
{
    private const string Role = "arn:aws:iam::123456789012:role/deploy";

    private readonly TempFolder _home = new();
    private readonly TempFolder _workingDirectory = new();
    private readonly TempFolder _childFiles = new();
    private readonly TempFolder _tokenFolder = new();
    private readonly Leaks _leaks = new();

    public void Dispose()
    {
        _home.Dispose();
        _workingDirectory.Dispose();
        _childFiles.Dispose();
        _tokenFolder.Dispose();
    }

    [Fact]
    public async Task Should_Give_The_Command_The_Credentials_And_Not_The_Token()
    {
        // Given: the token both in the variable and in a web-identity file, as a job might have it
        var environment = JobEnvironment(JobTokens.Sign());
        var tokenFile = Path.Combine(_tokenFolder.Path, "token");
        await File.WriteAllTextAsync(tokenFile, environment[EnvironmentNames.IdToken]);
        environment[EnvironmentNames.WebIdentityTokenFile] = tokenFile;
        environment[EnvironmentNames.DefaultRegion] = "eu-west-1";
        environment["CHILD_FILES"] = _childFiles.Path;
        const string script = """
            printenv AWS_ACCESS_KEY_ID
            printenv AWS_SESSION_TOKEN | wc -c
            printenv KEYLESS_ID_TOKEN || echo absent
            printenv AWS_WEB_IDENTITY_TOKEN_FILE || echo no-token-file
            printenv AWS_ROLE_ARN || echo no-role-arn
            printenv AWS_REGION
            printenv AWS_CREDENTIAL_EXPIRATION
            printenv AWS_SECRET_ACCESS_KEY > "$CHILD_FILES/secret"
            printenv AWS_SESSION_TOKEN > "$CHILD_FILES/session"
            """;

        // When
        var run = await Keyless(environment, null, "exec", "--", "sh", "-c", script);

        // Then: the child's lines and nothing else
        KeepChildSecrets();
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Errors);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.Matches("^ASIA[A-Z0-9]{16}$", lines[0]);
        Assert.True(int.Parse(lines[1].Trim(), System.Globalization.CultureInfo.InvariantCulture) > 100, "session token length " + lines[1]);
        Assert.Equal(["absent", "no-token-file", "no-role-arn", "eu-west-1"], lines[2..6]);
        Assert.Matches("^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$", lines[6]);

        // and keyless wrote nothing to disk
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workingDirectory.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_home.Path));
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Exit_With_The_Commands_Exit_Code_And_Pass_Its_Streams_Through()
    {
        // Given
        var environment = JobEnvironment(JobTokens.Sign());
        environment.Remove(EnvironmentNames.RoleArn);

        // When
        var run = await Keyless(environment, "line from stdin\n", "exec", "--role", Role, "--", "sh", "-c", "cat; echo to-stderr >&2; exit 7");

        // Then
        Assert.Equal(7, run.ExitCode);
        Assert.Equal("line from stdin\n", run.Output);
        Assert.Equal("to-stderr\n", run.Errors);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Exit_2_Without_Running_The_Command_When_There_Is_No_Token()
    {
        // Given
        var environment = JobEnvironment(JobTokens.Sign());
        environment.Remove(EnvironmentNames.IdToken);

        // When
        var run = await Keyless(environment, null, "exec", "--", "sh", "-c", "echo ran");

        // Then
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("No ID token: $KEYLESS_ID_TOKEN is not set", run.Errors, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Exit_2_When_The_Role_Arn_Is_Malformed()
    {
        // Given
        var environment = JobEnvironment(JobTokens.Sign());

        // When
        var run = await Keyless(environment, null, "exec", "--role", "deploy", "--", "sh", "-c", "echo ran");

        // Then
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("\"deploy\" is not an IAM role ARN", run.Errors, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Exit_2_When_An_Option_Before_The_Command_Is_Mistyped()
    {
        // Given: --rol instead of --role would otherwise fall back to $AWS_ROLE_ARN unnoticed
        var environment = JobEnvironment(JobTokens.Sign());

        // When
        var run = await Keyless(environment, null, "exec", "--rol", "arn:aws:iam::123456789012:role/other", "--", "sh", "-c", "echo ran", "--keep");

        // Then
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("Unknown option 'rol'", run.Errors, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Read_The_Token_From_The_Named_Variable()
    {
        // Given
        var environment = JobEnvironment(JobTokens.Sign());
        environment["GITLAB_OIDC_TOKEN"] = environment[EnvironmentNames.IdToken];
        environment.Remove(EnvironmentNames.IdToken);

        // When
        var run = await Keyless(environment, null, "exec", "--token-variable", "GITLAB_OIDC_TOKEN", "--", "sh", "-c", "printenv GITLAB_OIDC_TOKEN || echo absent");

        // Then
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("absent\n", run.Output);
        Assert.Equal("", run.Errors);
        _leaks.AssertNone();
    }

    [Fact]
    public async Task Should_Exit_2_Naming_A_Command_That_Cannot_Be_Run()
    {
        // Given: a command that is on no $PATH
        var environment = JobEnvironment(JobTokens.Sign());

        // When
        var run = await Keyless(environment, null, "exec", "--", "kl-no-such-command", "--flag");

        // Then: a user mistake, said once, without a stack trace or the credentials
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("cannot run kl-no-such-command: ", run.Errors, StringComparison.Ordinal);
        Assert.Contains("Check the name and $PATH.", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Keyless.", run.Errors, StringComparison.Ordinal);
        _leaks.AssertNone();
    }

    private Dictionary<string, string> JobEnvironment(string token)
    {
        _leaks.Secret("ID token", token);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EnvironmentNames.IdToken] = token,
            [EnvironmentNames.RoleArn] = Role,
            [EnvironmentNames.EndpointUrlSts] = moto.Url,
            ["HOME"] = _home.Path,
        };
    }

    private async Task<KeylessRun> Keyless(Dictionary<string, string> environment, string? input, params string[] arguments)
    {
        var run = await KeylessProcess.RunAsync(_workingDirectory.Path, arguments, input, environment);
        _leaks.Seen("keyless's standard output", run.Output);
        _leaks.Seen("keyless's standard error", run.Errors);
        return run;
    }

    private void KeepChildSecrets()
    {
        _leaks.Secret("secret access key", File.ReadAllText(Path.Combine(_childFiles.Path, "secret")).Trim());
        _leaks.Secret("session token", File.ReadAllText(Path.Combine(_childFiles.Path, "session")).Trim());
    }
}
