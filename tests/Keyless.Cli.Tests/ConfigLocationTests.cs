using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary>The site commands read the keyless.json named by --config or $KEYLESS_CONFIG, not only the one in the working folder.</summary>
public sealed class ConfigLocationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Should_CheckTheConfiguredSite_When_SiteCheckIsGivenConfig()
    {
        // Given: a config elsewhere whose site.source is the only site there is, run from a folder without one
        var config = Config("web");

        // When
        var result = await RunAsync(Variables(), "site", "check", "--config", config, "--format", "json");

        // Then: the report is of the configured folder
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Json(Path.Combine(_folder.Path, "web")), result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_CheckTheConfiguredSite_When_KeylessConfigIsSet()
    {
        var config = Config("web");

        var result = await RunAsync(Variables(("KEYLESS_CONFIG", config)), "site", "check", "--format", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Json(Path.Combine(_folder.Path, "web")), result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_BuildIntoTheConfiguredOutput_When_SiteBuildIsGivenConfig()
    {
        var config = Config("web");

        var result = await RunAsync(Variables(("KEYLESS_CONFIG", Path.Combine(_folder.Path, "missing.json"))), "site", "build", "--config", config);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(_folder.Path, "out", "index.html")), result.ToString());
    }

    [Fact]
    public async Task Should_Exit2NamingTheVariableAndThePath_When_KeylessConfigNamesNoFile()
    {
        var missing = Path.Combine(_folder.Path, "missing.json");

        var result = await RunAsync(Variables(("KEYLESS_CONFIG", missing)), "site", "check");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: KEYLESS_CONFIG {missing}: no such file.", result.Errors.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_SayHowToNameTheConfig_When_EnvNeedsOneAndNoneIsFound()
    {
        var result = await RunAsync(Variables(), "releases", "--env", "staging");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--env staging reads keyless.json, and there is none in {Path.Combine(_folder.Path, "elsewhere")} or above.", result.Errors, StringComparison.Ordinal);
        Assert.Contains("set KEYLESS_CONFIG=FILE", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_SayHowToNameTheConfig_When_AwsTemplateFindsNone()
    {
        var result = await RunAsync(Variables(), "aws", "template");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"keyless aws template reads keyless.json, and there is none in {Path.Combine(_folder.Path, "elsewhere")} or above.", result.Errors, StringComparison.Ordinal);
        Assert.Contains("set KEYLESS_CONFIG=FILE", result.Errors, StringComparison.Ordinal);
    }

    private string Config(string site)
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, site));
        File.WriteAllText(Path.Combine(_folder.Path, site, "index.html"), "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Home</title></head><body><h1>Home</h1></body></html>\n");
        var json = File.ReadAllText(Path.Combine(Repo.Root, "keyless.json"));
        var folders = $"\"source\": {Json(Path.Combine(_folder.Path, site))}, \"output\": {Json(Path.Combine(_folder.Path, "out"))}";
        var changed = System.Text.RegularExpressions.Regex.Replace(json, @"""source"": ""site"",\s*""output"": ""dist""", folders);
        Assert.NotEqual(json, changed);
        return _folder.Write("project.json", changed);
    }

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>Runs in-process from a working folder with no keyless.json at or above it.</summary>
    private Task<CliResult> RunAsync(IEnvironment environment, params string[] args)
    {
        var working = Directory.CreateDirectory(Path.Combine(_folder.Path, "elsewhere", ".git")).Parent!.FullName;
        return KeylessCli.RunAsync(new KeylessServices { Environment = environment, WorkingFolder = working }, args);
    }

    private static MapEnvironment Variables(params (string Name, string Value)[] set)
    {
        var environment = new MapEnvironment();
        foreach (var (name, value) in set)
        {
            environment[name] = value;
        }

        return environment;
    }
}
