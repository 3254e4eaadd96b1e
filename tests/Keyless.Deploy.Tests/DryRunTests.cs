using System.Text.Json;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto, through the command line: a dry run reads and plans, and writes nothing.</summary>
public sealed class DryRunTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Should_TouchNothingAndCountRight_When_DryRunIsAsked()
    {
        // Given r1 is live, and the next build adds a file, changes two and removes one
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        await moto.DeployAsync(bucket, site, "r1");
        site.With("faq/index.html", "<html>FAQ</html>")
            .With("index.html", "<html>Home v2</html>")
            .With("assets/app.0a1b2c3d4e.js", "console.log('v2');")
            .Without("images/logo.png");
        var before = await moto.ObjectsAsync(bucket);
        using var dotenv = SiteFolder.Empty();
        var dotenvFile = Path.Combine(dotenv.Path, "deploy.env");

        // When it is deployed with --dry-run --format json
        var result = await KeylessCli.RunAsync(moto.Environment(), null, "deploy", "--site", site.Path, "--bucket", bucket, "--release", "r2", "--dry-run", "--format", "json", "--dotenv", dotenvFile);

        // Then the bucket is exactly as before, no dotenv is written, and the counts are those of site files
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(before, await moto.ObjectsAsync(bucket));
        Assert.False(File.Exists(dotenvFile));
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal("r2", root.GetProperty("release").GetString());
        Assert.True(root.GetProperty("dryRun").GetBoolean());
        Assert.Equal(3, root.GetProperty("uploaded").GetInt32());
        Assert.Equal(1, root.GetProperty("added").GetInt32());
        Assert.Equal(2, root.GetProperty("updated").GetInt32());
        Assert.Equal(0, root.GetProperty("deleted").GetInt32());
        Assert.Equal(1, root.GetProperty("kept").GetInt32());
        Assert.Equal(3, root.GetProperty("unchanged").GetInt32());
        Assert.Equal(["faq/index.html"], root.GetProperty("files").GetProperty("added").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["images/logo.png"], root.GetProperty("files").GetProperty("kept").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Should_ListEveryChange_When_DryRunPrintsText()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();

        var result = await KeylessCli.RunAsync(moto.Environment(), null, "deploy", "--site", site.Path, "--bucket", bucket, "--release", "r1", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("+ index.html", result.Output, StringComparison.Ordinal);
        Assert.Contains("+ assets/app.3f9a1c2b.css", result.Output, StringComparison.Ordinal);
        Assert.Contains("Dry run, release r1", result.Output, StringComparison.Ordinal);
        Assert.Contains("6 to upload", result.Output, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", result.Output, StringComparison.Ordinal);
        Assert.Empty(await moto.ObjectsAsync(bucket));
    }
}
