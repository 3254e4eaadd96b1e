using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsCheck;
using Keyless.Cli.Commands.Init;
using Keyless.Cli.Commands.Local;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;
using Keyless.Core.Configuration;

namespace Keyless.Cli.Tests;

/// <summary>
/// A GitLab project or namespace ID is refused alike by <c>keyless init</c>, <c>keyless local token</c> and keyless.json,
/// and exactly when GitLab would never write it into a token: not a positive 64-bit integer in plain digits.
/// </summary>
public sealed partial class GitLabIdTests
{
    // Digits, zeros, signs, spaces and look-alikes, with lengths around the 19 digits of long.MaxValue.
    private static readonly Gen<string> Candidate = Gen.OneOf(
        Gen.String[Gen.Char["0123456789+- .\u0663"], 0, 22],
        Gen.String[Gen.Char["0123456789"], 1, 21],
        Gen.Long.Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Long[long.MaxValue - 3, long.MaxValue].Select(n => (new BigInteger(n) + 2).ToString(CultureInfo.InvariantCulture)),
        Gen.Select(Gen.Int[1, 3], Gen.Long[1, long.MaxValue]).Select((zeros, n) => new string('0', zeros) + n.ToString(CultureInfo.InvariantCulture)));

    [Fact]
    public void Should_AcceptTheSameIdsEverywhere_When_AnyTextIsGiven()
    {
        Candidate.Sample(value =>
        {
            var expected = Independent(value);

            Assert.Equal(expected, GitLabId.IsValid(value));
            Assert.Equal(expected, new InitSettings { ProjectId = value }.Validate().Successful);
            Assert.Equal(expected, new InitSettings { NamespaceId = value }.Validate().Successful);
            Assert.Equal(expected, LocalToken(value, null).Validate().Successful);
            Assert.Equal(expected, LocalToken(null, value).Validate().Successful);
            Assert.Equal(expected, Parses("projectId", JsonSerializer.Serialize(value)));
            Assert.Equal(expected, Parses("namespaceId", JsonSerializer.Serialize(value)));
            if (JsonNumber().IsMatch(value))
            {
                Assert.Equal(expected, Parses("projectId", value));
            }
        });
    }

    [Theory]
    [InlineData("0042")]
    [InlineData("+42")]
    [InlineData("0")]
    [InlineData("9223372036854775808")]
    public async Task Should_Exit2NamingTheOptionOrFieldAndTheValue_When_AnIdIsRefusedAnywhere(string value)
    {
        using var folder = new TempFolder();
        folder.Write("keyless.json", $$$"""{"gitlab": {"project": "acme/website", "projectId": "{{{value}}}"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""");

        var init = await KeylessCli.RunAsync(new KeylessServices { WorkingFolder = folder.Path }, ["init", "--project", "acme/website", "--gitlab-url", "https://gitlab.com", "--namespace-id", value, "--yes"]);
        var token = await KeylessCli.RunAsync("local", "token", "--issuer", "http://127.0.0.1:5999", "--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--aud", "sts.amazonaws.com", "--project-id", value);
        var config = await KeylessCli.RunAsync(new KeylessServices { WorkingFolder = folder.Path }, ["init", "--yes"]);

        CliAssert.UnusableInput(init);
        Assert.Contains($"--namespace-id {value}: expected the namespace's numeric ID, {GitLabId.Expected}", init.Errors, StringComparison.Ordinal);
        CliAssert.UnusableInput(token);
        Assert.Contains($"--project-id {value}: expected GitLab's numeric ID, {GitLabId.Expected}", token.Errors, StringComparison.Ordinal);
        CliAssert.UnusableInput(config);
        Assert.Contains($"keyless.json: at $.gitlab.projectId: found the string \"{value}\"; expected GitLab's numeric ID, {GitLabId.Expected}", config.Errors, StringComparison.Ordinal);
    }

    // Not the rule under test: the text as a number, bounded by GitLab's 64-bit IDs, written as GitLab writes it.
    private static bool Independent(string value) =>
        BigInteger.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        && number >= 1 && number <= long.MaxValue
        && number.ToString(CultureInfo.InvariantCulture) == value;

    private static LocalTokenSettings LocalToken(string? projectId, string? namespaceId) =>
        new() { Project = "acme/website", Ref = "main", RefType = "branch", Audience = "sts.amazonaws.com", ProjectId = projectId, NamespaceId = namespaceId };

    private static bool Parses(string field, string json)
    {
        var ids = field == "projectId" ? $"\"projectId\": {json}" : $"\"projectId\": \"42\", \"{field}\": {json}";
        try
        {
            KeylessConfigParser.Parse("keyless.json", $$$"""{"gitlab": {"project": "acme/website", {{{ids}}}}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""");
            return true;
        }
        catch (KeylessException e) when (e.Kind == FailureKind.UnusableInput)
        {
            Assert.Contains($"at $.gitlab.{field}: found ", e.Message, StringComparison.Ordinal);
            Assert.Contains(GitLabId.Expected, e.Message, StringComparison.Ordinal);
            return false;
        }
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)$")]
    private static partial Regex JsonNumber();
}
