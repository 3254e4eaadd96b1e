namespace Keyless.Core.Tests;

public sealed class HttpUrlTests
{
    [Theory]
    [InlineData("https://gitlab.com")]
    [InlineData("http://127.0.0.1:5000")]
    [InlineData("HTTPS://sts.eu-central-1.amazonaws.com/path?q=1")]
    public void Should_Accept_When_TheUrlIsAbsoluteHttpOrHttps(string text)
    {
        Assert.True(HttpUrl.TryParse(text, out var uri));
        Assert.StartsWith("http", uri.Scheme, StringComparison.Ordinal);
        Assert.True(HttpUrl.Is(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("gitlab.com")]
    [InlineData("/etc/passwd")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com")]
    [InlineData("ssh://git@gitlab.com/acme/site.git")]
    public void Should_Refuse_When_TheUrlIsRelativeOrAnotherScheme(string? text)
    {
        Assert.False(HttpUrl.TryParse(text, out var uri));
        Assert.Null(uri);
        Assert.False(HttpUrl.Is(text));
    }
}
