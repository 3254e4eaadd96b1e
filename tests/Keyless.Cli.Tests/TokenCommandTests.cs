using System.Text.Json;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Tests.Support;
using Keyless.Core;

namespace Keyless.Cli.Tests;

public sealed class TokenCommandTests : IDisposable
{
    private readonly TokenFixture _fixture = new();

    private static InputFiles Files => new(Path.GetTempPath(), TextReader.Null);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Should_Exit_0_With_Valid_True_When_The_Token_Verifies()
    {
        // Given
        var token = TokenFixture.Mint();
        var file = _fixture.Write(token);

        // When
        var result = await Verify(file, "--format", "json");

        // Then
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.False(json.RootElement.TryGetProperty("error", out _));
        Assert.Equal("acme/website", json.RootElement.GetProperty("subject").GetProperty("projectPath").GetString());
        Assert.DoesNotContain(token, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Exit_1_With_ExpiredTokenException_When_The_Token_Expired()
    {
        // Given: minted two hours before --now
        var token = TokenFixture.Mint(now: TokenFixture.Now - 7200);
        var file = _fixture.Write(token);

        // When
        var result = await Verify(file, "--format", "json");

        // Then
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("ExpiredTokenException", json.RootElement.GetProperty("error").GetString());
        Assert.StartsWith("Token expired: current date/time", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        AssertNoToken(token, result);
    }

    [Fact]
    public async Task Should_Exit_1_With_InvalidIdentityToken_When_The_Audience_Is_Wrong()
    {
        // Given
        var token = TokenFixture.Mint(audience: "https://gitlab.com");
        var file = _fixture.Write(token);

        // When
        var result = await Verify(file, "--format", "json");

        // Then
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("InvalidIdentityToken", json.RootElement.GetProperty("error").GetString());
        Assert.Equal("Incorrect token audience", json.RootElement.GetProperty("message").GetString());
        AssertNoToken(token, result);
    }

    [Fact]
    public async Task Should_Exit_1_With_InvalidIdentityToken_When_The_File_Holds_No_Jwt()
    {
        // Given
        var file = _fixture.Write("this is not a token");

        // When
        var result = await Verify(file, "--format", "json");

        // Then
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("InvalidIdentityToken", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Should_Print_The_Aws_Message_And_Why_In_Text()
    {
        // Given: a token signed by the key, then altered
        var token = TokenFixture.Mint();
        var parts = token.Split('.');
        var tampered = $"{parts[0]}.{TokenFixture.Mint(project: "acme/other").Split('.')[1]}.{parts[2]}";
        var file = _fixture.Write(tampered);

        // When
        var result = await Verify(file);

        // Then
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("InvalidIdentityToken", result.Output, StringComparison.Ordinal);
        Assert.Contains("why:", result.Output, StringComparison.Ordinal);
        AssertNoToken(tampered, result);
    }

    [Fact]
    public async Task Should_Exit_2_When_The_Token_File_Is_Missing()
    {
        // When
        var result = await Verify(Path.Combine(_fixture.Folder, "missing.jwt"));

        // Then
        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("no such file", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Exit_2_When_The_Jwks_File_Is_Missing()
    {
        // Given
        var file = _fixture.Write(TokenFixture.Mint());

        // When
        var result = await KeylessCli.RunAsync("token", "verify", "--token", file, "--issuer", TokenFixture.Issuer, "--client-id", TokenFixture.Audience, "--jwks", Path.Combine(_fixture.Folder, "nope.json"));

        // Then
        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
    }

    [Theory]
    [InlineData("--client-id", TokenFixture.Audience)]
    [InlineData("--issuer", TokenFixture.Issuer)]
    [InlineData("--issuer", "not a url", "--client-id", TokenFixture.Audience)]
    public async Task Should_Exit_2_When_A_Required_Option_Is_Missing_Or_Wrong(params string[] options)
    {
        // Given
        var file = _fixture.Write(TokenFixture.Mint());

        // When
        var result = await KeylessCli.RunAsync(["token", "verify", "--token", file, .. options]);

        // Then
        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
    }

    [Fact]
    public async Task Should_Show_Header_Claims_Expiry_And_Subject_Without_The_Token()
    {
        // Given
        var token = TokenFixture.Mint(project: "acme/platform/website", gitRef: "release/2030");
        var file = _fixture.Write(token);

        // When
        var result = await KeylessCli.RunAsync("token", "inspect", "--token", file, "--now", (TokenFixture.Now + 60).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Then
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("alg RS256", result.Output, StringComparison.Ordinal);
        Assert.Contains("project acme/platform/website, ref type branch, ref release/2030", result.Output, StringComparison.Ordinal);
        Assert.Contains("expires in 59 minutes", result.Output, StringComparison.Ordinal);
        Assert.Contains("namespace_path", result.Output, StringComparison.Ordinal);
        AssertNoToken(token, result);
    }

    [Fact]
    public async Task Should_Inspect_As_Json_Without_The_Token()
    {
        // Given
        var token = TokenFixture.Mint();
        var file = _fixture.Write(token);

        // When
        var result = await KeylessCli.RunAsync("token", "inspect", "--token", file, "--format", "json", "--now", (TokenFixture.Now + 3900).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Then
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("RS256", root.GetProperty("header").GetProperty("alg").GetString());
        Assert.Equal("main", root.GetProperty("subject").GetProperty("ref").GetString());
        Assert.True(root.GetProperty("expired").GetBoolean());
        Assert.Equal(-300, root.GetProperty("expiresInSeconds").GetInt64());
        Assert.Equal("acme/website", root.GetProperty("claims").GetProperty("project_path").GetString());
        AssertNoToken(token, result);
    }

    [Fact]
    public async Task Should_Exit_2_When_Inspecting_Something_That_Is_Not_A_Jwt()
    {
        // Given
        var file = _fixture.Write("secret-looking-but-not-a-jwt");

        // When
        var result = await KeylessCli.RunAsync("token", "inspect", "--token", file);

        // Then
        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("not a well-formed JWT", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-looking-but-not-a-jwt", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Take_The_Token_From_The_Job_Environment_When_No_File_Is_Given()
    {
        // Given
        var file = _fixture.Write("from.the.file", "web-identity-token");
        var both = new Dictionary<string, string?> { [TokenInput.TokenVariable] = "from.the.variable", [TokenInput.TokenFileVariable] = file };
        var fileOnly = new Dictionary<string, string?> { [TokenInput.TokenFileVariable] = file };

        // When / Then
        Assert.Equal("from.the.variable", TokenInput.Read(null, both.GetValueOrDefault, Files));
        Assert.Equal("from.the.file", TokenInput.Read(null, fileOnly.GetValueOrDefault, Files));
        Assert.Equal("from.the.file", TokenInput.Read(file, both.GetValueOrDefault, Files));
        var error = Assert.Throws<Core.KeylessException>(() => TokenInput.Read(null, _ => null, Files));
        Assert.Contains(TokenInput.TokenVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Pass_A_Lone_Dash_As_The_Options_Value()
    {
        Assert.Equal(["token", "verify", "--token=-", "--issuer", "x"], KeylessApp.JoinStandardInput(["token", "verify", "--token", "-", "--issuer", "x"]));
        Assert.Equal(["--token=a", "-"], KeylessApp.JoinStandardInput(["--token=a", "-"]));
    }

    private Task<CliResult> Verify(string file, params string[] more) =>
        KeylessCli.RunAsync(["token", "verify", "--token", file, "--issuer", TokenFixture.Issuer, "--jwks", _fixture.JwksFile, "--client-id", TokenFixture.Audience, "--now", TokenFixture.Now.ToString(System.Globalization.CultureInfo.InvariantCulture), .. more]);

    private static void AssertNoToken(string token, CliResult result)
    {
        Assert.DoesNotContain(token, result.All, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], result.All, StringComparison.Ordinal);
    }
}
