namespace Keyless.Site.Tests;

/// <summary>The stylesheet scanner finds what CSS's tokenizer would call URLs, and nothing else.</summary>
public sealed class CssReferencesTests
{
    [Theory]
    [InlineData("a{background:url(x.png)}", "x.png")]
    [InlineData("a{background:URL( \"x y.png\" )}", "x y.png")]
    [InlineData("a{background:url('x.png')}", "x.png")]
    [InlineData("@import 'a.css';", "a.css")]
    [InlineData("@import url(a.css) screen;", "a.css")]
    [InlineData("a{background:url(x\\(1\\).png)}", "x(1).png")]
    [InlineData("a{content:\"\\\"\";background:url(\"q\\22 .png\")}", "q\".png")]
    public void Should_FindTheUrl_When_ItIsWrittenInAnyForm(string css, string url)
    {
        var found = Assert.Single(CssReferences.Find(css));

        Assert.Equal(url, found.Url);
    }

    [Theory]
    [InlineData("/* url(x.png) */")]
    [InlineData("a{content:\"url(x.png)\"}")]
    [InlineData("a{background:my-url(x.png)}")]
    [InlineData("a{background:url()}")]
    public void Should_FindNothing_When_TheTextIsNoUrl(string css)
    {
        Assert.Empty(CssReferences.Find(css));
    }

    [Fact]
    public void Should_GiveTheBoundsOfTheWrittenText_When_AUrlIsFound()
    {
        const string css = "a{background:url(  \"img/x.png\"  )}";

        var found = Assert.Single(CssReferences.Find(css));

        Assert.Equal("img/x.png", css.Substring(found.Start, found.Length));
        Assert.False(found.IsImport);
    }
}
