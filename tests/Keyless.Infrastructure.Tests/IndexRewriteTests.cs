using System.Diagnostics;
using System.Text.Json;
using Keyless.Cdk;
using Keyless.Core.Configuration;

namespace Keyless.Infrastructure.Tests;

/// <summary>The CloudFront Function (JavaScript, run here by Node) and the local CloudFront stand-in's C# rule agree.</summary>
public sealed class IndexRewriteTests
{
    private static readonly string[] Uris =
    [
        "/", "/index.html", "/docs", "/docs/", "/docs/index.html", "/assets/app.3f9a1c2b.css", "/a/b/c", "/a/b/c/",
        "/robots.txt", "/.well-known/security.txt", "/v1.0/", "/v1.0", "/LICENSE", "/404.html",
        "/.keyless/current.json", "/.keyless/content/abc",
    ];

    [Fact]
    public async Task Should_RewriteLikeTheCloudFrontFunction_When_TheLocalCloudServesAFolderUrl()
    {
        // Given: the function's code and a driver that applies it to every URI
        var script = StaticSite.IndexRewriteCode + $"\nconsole.log(JSON.stringify({JsonSerializer.Serialize(Uris)}.map(u => {{ const r = handler({{ request: {{ uri: u }} }}); return r.statusCode ? String(r.statusCode) : r.uri; }})));\n";
        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };

        // When
        using var node = Process.Start(info)!;
        await node.StandardInput.WriteAsync(script);
        node.StandardInput.Close();
        var output = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();

        // Then
        Assert.True(node.ExitCode == 0, await node.StandardError.ReadToEndAsync());
        var fromFunction = JsonSerializer.Deserialize<string[]>(output)!;
        Assert.Equal(Uris.Select(u => SiteDelivery.IsPrivate(u) ? "404" : SiteDelivery.RewriteFolderUri(u)), fromFunction);
        Assert.Equal("/docs/index.html", SiteDelivery.RewriteFolderUri("/docs"));
    }
}
