using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Keyless.Cli.Tests.Infrastructure;

namespace Keyless.Cli.Tests;

/// <summary><c>token inspect</c> with a template or the project config says which roles the token would get, and why not.</summary>
public sealed class TokenAccessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Should_SayWhichRolesTheTokenGets_When_PolicyIsGiven()
    {
        var main = WriteToken("main.json");
        var feature = WriteToken("feature-branch.json");

        var allowed = await KeylessCli.RunAsync("token", "inspect", "--token", main, "--policy", Repo.Example("good-main-branch.json"), "--config", Repo.Example("../../keyless.json"), "--now", Repo.Now, "--format", "json");
        var denied = await KeylessCli.RunAsync("token", "inspect", "--token", feature, "--policy", Repo.Example("good-main-branch.json"), "--now", Repo.Now);

        using var json = JsonDocument.Parse(allowed.Output);
        var roles = json.RootElement.GetProperty("roles").EnumerateArray().ToList();
        Assert.True(roles.Single(r => r.GetProperty("role").GetString() == "good-main-branch").GetProperty("allowed").GetBoolean());
        Assert.Contains(roles, r => r.GetProperty("role").GetString() == "production" && r.GetProperty("decision").GetString() == "InvalidIdentityToken");
        Assert.Contains("✗ good-main-branch: AccessDenied", denied.Output, StringComparison.Ordinal);
        Assert.Contains("gitlab.com:sub", denied.Output, StringComparison.Ordinal);
        Assert.Contains("feature/login", denied.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllText(feature), denied.Output, StringComparison.Ordinal);
    }

    // An unsigned token with the example claims: inspect decodes without verifying.
    private string WriteToken(string claimsFile)
    {
        static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var token = $"{Segment("{\"alg\":\"RS256\",\"kid\":\"k\",\"typ\":\"JWT\"}")}.{Segment(File.ReadAllText(Repo.Claims(claimsFile)))}.c2lnbmF0dXJl";
        var path = Path.Combine(_temp.Path, claimsFile + ".jwt");
        File.WriteAllText(path, token);
        return path;
    }
}
