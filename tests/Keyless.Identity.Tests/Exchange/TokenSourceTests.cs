using Keyless.Core;
using Keyless.Identity.Exchange;
using Keyless.Testing;

namespace Keyless.Identity.Tests.Exchange;

public sealed class TokenSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly MapEnvironment _environment = new();
    private readonly Leaks _leaks = new();
    private readonly string _token = JobTokens.Sign();

    public TokenSourceTests() => _leaks.Secret("ID token", _token);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Should_Prefer_The_Variable_When_Both_Are_Set()
    {
        // Given
        _environment[EnvironmentNames.IdToken] = _token + "\n";
        _environment[EnvironmentNames.WebIdentityTokenFile] = Path.Combine(_folder.Path, "missing");

        // When
        var token = new TokenSource(_environment, NoInput.Files).Read();

        // Then
        Assert.Equal(_token, token.Value);
        Assert.Equal("$KEYLESS_ID_TOKEN", token.Origin);
        _leaks.Seen("token ToString", token.ToString());
        _leaks.AssertNone();
    }

    [Fact]
    public void Should_Read_The_File_When_The_Variable_Is_Empty()
    {
        // Given: gitlab-ci-local leaves id_tokens variables empty
        var file = Path.Combine(_folder.Path, "token");
        File.WriteAllText(file, _token + "\n");
        _environment[EnvironmentNames.IdToken] = "";
        _environment[EnvironmentNames.WebIdentityTokenFile] = file;

        // When
        var token = new TokenSource(_environment, NoInput.Files).Read();

        // Then
        Assert.Equal(_token, token.Value);
        Assert.Contains(file, token.Origin, StringComparison.Ordinal);
        _leaks.Seen("token ToString", token.ToString());
        _leaks.AssertNone();
    }

    [Fact]
    public void Should_Read_The_Named_Variable_When_Configured()
    {
        // Given
        _environment["GITLAB_OIDC_TOKEN"] = _token;
        _environment[EnvironmentNames.IdToken] = "other";

        // When
        var token = new TokenSource(_environment, NoInput.Files, "GITLAB_OIDC_TOKEN").Read();

        // Then
        Assert.Equal(_token, token.Value);
        _leaks.Seen("token ToString", token.ToString());
        _leaks.AssertNone();
    }

    [Fact]
    public void Should_Say_Where_It_Looked_When_There_Is_No_Token()
    {
        // Given
        _environment[EnvironmentNames.IdToken] = "  ";

        // When
        var error = Assert.Throws<KeylessException>(() => new TokenSource(_environment, NoInput.Files).Read());

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains("$KEYLESS_ID_TOKEN is set but empty and $AWS_WEB_IDENTITY_TOKEN_FILE is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("id_tokens", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "no such file")]
    [InlineData("empty", "is empty; expected an ID token")]
    [InlineData("folder", "is a folder; expected a file")]
    public void Should_Refuse_As_Unusable_Input_When_The_Token_File_Cannot_Be_Used(string kind, string expected)
    {
        // Given
        var path = Path.Combine(_folder.Path, kind);
        if (kind == "empty")
        {
            File.WriteAllText(path, "\n");
        }
        else if (kind == "folder")
        {
            Directory.CreateDirectory(path);
        }

        _environment[EnvironmentNames.WebIdentityTokenFile] = path;

        // When
        var error = Assert.Throws<KeylessException>(() => new TokenSource(_environment, NoInput.Files).Read());

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_A_Variable_Too_Long_To_Be_An_Id_Token_Without_Echoing_It()
    {
        // Given
        var huge = "eyJ" + new string('x', IdTokenText.MaxLength);
        _leaks.Secret("oversized token", huge);
        _environment[EnvironmentNames.IdToken] = huge;

        // When
        var error = Assert.Throws<KeylessException>(() => new TokenSource(_environment, NoInput.Files).Read());

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith($"$KEYLESS_ID_TOKEN holds {huge.Length} characters; an ID token is at most 20000", error.Message, StringComparison.Ordinal);
        _leaks.Seen("error", error.Message);
        _leaks.AssertNone();
    }

    [Theory]
    [InlineData("--token token.jwt", "", "--token token.jwt is empty; expected an ID token")]
    [InlineData("$KEYLESS_ID_TOKEN", " \n", "$KEYLESS_ID_TOKEN is empty; expected an ID token")]
    [InlineData("--token - (standard input)", "not-a-jwt-secret", "--token - (standard input) does not hold an ID token: The ID token is not a well-formed JWT")]
    public void Should_Name_The_Source_And_Never_The_Text_When_The_Token_Text_Is_Unusable(string source, string text, string expected)
    {
        var error = Assert.Throws<KeylessException>(() => IdTokenText.Decode(source, text));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
