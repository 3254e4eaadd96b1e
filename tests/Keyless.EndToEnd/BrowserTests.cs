using System.Diagnostics;
using Microsoft.Playwright;

namespace Keyless.EndToEnd;

/// <summary>A real browser (Debian's Chromium, driven by Playwright) walks the staging site.</summary>
[Collection(TheSystemGroup.Name)]
public sealed class BrowserTests(TheSystem system)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Should_LoadEveryPageAndAssetWithSecurityHeaders_When_ABrowserFollowsTheLinks()
    {
        // Given
        await EnsureChromiumAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        var failures = new List<string>();
        var violations = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failures.Add($"{response.Status} {response.Url}");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                violations.Add(message.Text);
            }
        };

        // When: the home page, then every page its navigation links to
        var home = await page.GotoAsync(system.StagingUrl + "/");
        var links = await page.EvalOnSelectorAllAsync<string[]>("nav a[href]", "as => as.map(a => a.href)");
        foreach (var link in links.Where(l => l.StartsWith(system.StagingUrl, StringComparison.Ordinal)).Distinct())
        {
            var response = await page.GotoAsync(link);
            Assert.Equal(200, response!.Status);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        // Then: no 404 for any page or asset, no CSP violation, the security headers on the documents
        Assert.NotNull(home);
        Assert.True(links.Length >= 5, $"expected the navigation to link at least five pages, found {links.Length}");
        Assert.Empty(failures);
        Assert.Empty(violations);
        var headers = await home.AllHeadersAsync();
        Assert.StartsWith("default-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Contains("max-age=", headers["strict-transport-security"], StringComparison.Ordinal);
    }

    // The test installs Debian's Chromium when the machine lacks it (Playwright's own browser download is not reachable here).
    private static async Task EnsureChromiumAsync()
    {
        if (File.Exists(Chromium))
        {
            return;
        }

        using var install = Process.Start(new ProcessStartInfo(Path.Combine(TheSystem.Repository, ".ci", "prerequisites"), "chromium") { UseShellExecute = false })!;
        await install.WaitForExitAsync();
        Assert.True(File.Exists(Chromium), "Chromium could not be installed: apt-get install -y chromium");
    }
}
