using System.Text.Json.Nodes;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Cli.Tests.Support;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary><c>trust simulate --token</c>: the claims of a raw JWT, decoded without checking its signature, never printed.</summary>
public sealed class TrustSimulateTokenTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("main.json", "text")]
    [InlineData("feature-branch.json", "text")]
    [InlineData("other-namespace.json", "json")]
    [InlineData("release-tag.json", "json")]
    public async Task Should_DecideExactlyAsWithTheClaims_When_TheTokenCarriesThem(string claims, string format)
    {
        var token = UnsignedJwt.For(File.ReadAllText(Repo.Claims(claims)));
        var file = _folder.Write("token.jwt", token + "\n");

        var fromClaims = await TrustRuns.SimulateOnGitLabAsync(Repo.Example("good-main-branch.json"), Repo.Claims(claims), "--format", format);
        var fromToken = await KeylessCli.RunAsync("trust", "simulate", "--policy", Repo.Example("good-main-branch.json"), "--token", file, "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab, "--now", Repo.Now, "--format", format);

        Assert.Equal(fromClaims.ExitCode, fromToken.ExitCode);
        Assert.Equal(fromClaims.Output, fromToken.Output);
        Assert.StartsWith("note:", fromToken.Errors, StringComparison.Ordinal);
        Assert.Contains("signature was not checked", fromToken.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], fromToken.Output + fromToken.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[2], fromToken.Output + fromToken.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_RefuseWithoutEchoingIt_When_TheTokenItselfIsGivenForTheFile()
    {
        // Given a token pasted where its file belongs, as a hurried CI job would
        var token = TokenFixture.Mint(now: long.Parse(Repo.Now, System.Globalization.CultureInfo.InvariantCulture));

        // When
        var simulate = await KeylessCli.RunAsync("trust", "simulate", "--policy", Repo.Example("good-main-branch.json"), "--token", token, "--provider-url", TokenFixture.Issuer, "--client-id", TokenFixture.Audience, "--now", Repo.Now);
        var inspect = await KeylessCli.RunAsync("token", "inspect", "--token", token);

        // Then: exit 2, the option named, not a part of the token printed
        foreach (var result in new[] { simulate, inspect })
        {
            Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
            Assert.Contains("--token: the value is an ID token itself", result.Errors, StringComparison.Ordinal);
            foreach (var part in token.Split('.'))
            {
                Assert.DoesNotContain(part, result.Output + result.Errors, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Should_NeverPrintTheToken_When_ASignedTokenIsSimulated()
    {
        var token = TokenFixture.Mint(now: long.Parse(Repo.Now, System.Globalization.CultureInfo.InvariantCulture));
        var file = _folder.Write("token.jwt", token);

        var text = await KeylessCli.RunAsync("trust", "simulate", "--policy", Repo.Example("good-main-branch.json"), "--token", file, "--provider-url", TokenFixture.Issuer, "--client-id", TokenFixture.Audience, "--now", Repo.Now);
        var json = await KeylessCli.RunAsync("trust", "simulate", "--policy", Repo.Example("good-main-branch.json"), "--token", file, "--provider-url", TokenFixture.Issuer, "--client-id", TokenFixture.Audience, "--now", Repo.Now, "--format", "json");

        Assert.NotEqual(ExitCodes.UnusableInput, text.ExitCode);
        Assert.NotNull(JsonNode.Parse(json.Output));
        foreach (var part in token.Split('.'))
        {
            Assert.DoesNotContain(part, text.Output + text.Errors + json.Output + json.Errors, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("a.b")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln")]
    public async Task Should_Exit2WithoutTheText_When_TheTokenIsNotAJwt(string text)
    {
        var file = _folder.Write("token.jwt", text);

        var result = await KeylessCli.RunAsync("trust", "simulate", "--policy", Repo.Example("good-main-branch.json"), "--token", file, "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab);

        CliAssert.UnusableInput(result);
        Assert.Contains("not a well-formed JWT", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(text, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Exit2NamingBoth_When_ClaimsAndTokenAreGiven()
    {
        var file = _folder.Write("token.jwt", UnsignedJwt.For(File.ReadAllText(Repo.Claims("main.json"))));

        var result = await TrustRuns.SimulateOnGitLabAsync(Repo.Example("good-main-branch.json"), Repo.Claims("main.json"), "--token", file);

        CliAssert.UnusableInput(result);
        Assert.Contains("--claims", result.Errors, StringComparison.Ordinal);
        Assert.Contains("--token", result.Errors, StringComparison.Ordinal);
        Assert.Contains("not both", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_Exit2NamingBoth_When_NeitherClaimsNorTokenIsGiven()
    {
        var result = await KeylessCli.RunAsync("trust", "simulate", "--policy", Repo.Example("good-main-branch.json"), "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab);

        CliAssert.UnusableInput(result);
        Assert.Contains("--claims FILE or --token FILE is required", result.Errors, StringComparison.Ordinal);
    }
}
