using CsCheck;
using Keyless.Core.Configuration;

namespace Keyless.Core.Tests.Configuration;

public sealed class GitRemoteTests
{
    [Theory]
    [InlineData("git@gitlab.com:acme/site.git", "https://gitlab.com", "acme/site")]
    [InlineData("git@gitlab.com:acme/web/site", "https://gitlab.com", "acme/web/site")]
    [InlineData("ssh://git@gitlab.example.com:2222/acme/site.git", "https://gitlab.example.com", "acme/site")]
    [InlineData("https://gitlab.com/acme/site.git", "https://gitlab.com", "acme/site")]
    [InlineData("https://GitLab.Example.com:8443/acme/sub/site.git/", "https://gitlab.example.com:8443", "acme/sub/site")]
    [InlineData("https://oauth2:glpat-secret@gitlab.com/acme/site.git", "https://gitlab.com", "acme/site")]
    [InlineData("http://gitlab.internal/acme/site", "https://gitlab.internal", "acme/site")]
    public void Should_ReadInstanceAndProject_When_TheRemoteHasAnyFormGitAccepts(string url, string gitlab, string project)
    {
        var remote = GitRemote.Parse(url, out var problem);

        Assert.Null(problem);
        Assert.Equal(new GitRemote(gitlab, project), remote);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/home/me/site")]
    [InlineData("../site.git")]
    [InlineData("ftp://gitlab.com/acme/site.git")]
    [InlineData("git@gitlab.com:site.git")]
    [InlineData("https://gitlab.com/")]
    public void Should_SayWhy_When_TheRemoteNamesNoGitLabProject(string url)
    {
        Assert.Null(GitRemote.Parse(url, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void Should_NeverKeepCredentials_When_TheUrlCarriesThem()
    {
        var remote = GitRemote.Parse("https://deploy-user:glpat-AbCdEf123456@gitlab.example.com/acme/site.git", out _);

        Assert.DoesNotContain("glpat", remote!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("deploy-user", remote.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The three forms of one project's remote agree, for any host and project path.</summary>
    [Fact]
    public void Should_GiveTheSameProject_When_TheSameRemoteIsWrittenInEachForm()
    {
        var segment = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."], 1, 12].Where(s => s[0] is not '-' and not '.');
        var host = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz"], 1, 10].Array[1, 3].Select(labels => string.Join('.', labels) + ".example");
        var path = segment.Array[2, 4].Select(parts => string.Join('/', parts)).Where(p => !p.EndsWith(".git", StringComparison.Ordinal));

        Gen.Select(host, path).Sample((h, p) =>
        {
            var expected = new GitRemote("https://" + h, p);
            Assert.Equal(expected, GitRemote.Parse($"git@{h}:{p}.git", out _));
            Assert.Equal(expected, GitRemote.Parse($"ssh://git@{h}:22/{p}.git", out _));
            Assert.Equal(expected, GitRemote.Parse($"https://{h}/{p}.git", out _));
        });
    }
}
