using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Keyless.Core.Configuration;
using Keyless.Core.Scaffolding;
using Keyless.Stack;
using Keyless.Testing;

namespace Keyless.Infrastructure.Tests;

/// <summary>
/// The constructs as a user gets them: Keyless.Cdk packed into a local feed, the app <c>keyless init --aws cdk</c>
/// writes built against the package alone (outside this repository, with its own nuget.config: Keyless.Cdk from
/// that feed, everything else from nuget.org), synthesized the way <c>cdk synth</c> runs it, and the result checked.
/// </summary>
public sealed class CdkPackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Should_SynthesizeTheStackTrustCheckPasses_When_TheScaffoldedAppUsesThePackedLibrary()
    {
        // Given: the package in a feed of its own, with a version no earlier run left in the NuGet cache
        var version = "0.0.0-scaffold." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        var feed = Path.Combine(_temp.Path, "feed");
        await RunAsync(Repository.Root, "dotnet", "pack", "src/Keyless.Cdk/Keyless.Cdk.csproj", "-c", Configuration, "--no-build", "-o", feed, $"-p:MinVerVersionOverride={version}", "-v", "q", "--nologo");
        var project = Path.Combine(_temp.Path, "project");
        var configText = File.ReadAllText(Repository.Path("keyless.json")).Replace("\"$schema\": \"./keyless.schema.json\",", "", StringComparison.Ordinal);
        var config = KeylessConfigParser.Parse("keyless.json", configText);
        // The app as keyless init --aws cdk writes it, with its nuget.config's feed (the component's project on the
        // remote's instance) replaced by the local one
        var setup = new ProjectSetup(config, "$CI_SERVER_FQDN/acme/keyless/deploy@" + version) { AwsSide = AwsSideForm.Cdk, PackageVersion = version };
        foreach (var file in new AwsSideFiles().Files(setup))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(project, file.Path))!);
            File.WriteAllText(Path.Combine(project, file.Path), file.Content);
        }

        File.WriteAllText(Path.Combine(project, KeylessConfig.FileName), configText);
        const string Feed = "https://gitlab.com/api/v4/projects/acme%2Fkeyless/packages/nuget/index.json";
        var nuget = File.ReadAllText(Path.Combine(project, CdkAppScaffold.NuGetConfigPath));
        var source = $"<add key=\"{CdkAppScaffold.FeedKey}\" value=\"{Feed}\" protocolVersion=\"3\" />";
        Assert.Contains(source, nuget, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(project, CdkAppScaffold.NuGetConfigPath), nuget.Replace(source, $"<add key=\"{CdkAppScaffold.FeedKey}\" value=\"{feed}\" />", StringComparison.Ordinal));

        // When: the app is built and run as cdk.json says, with the variable the CDK CLI sets
        await RunAsync(project, "dotnet", "build", CdkAppScaffold.ProjectPath, "-v", "q", "--nologo");
        var app = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "cdk.json")))!["app"]!.GetValue<string>().Split(' ');
        var outdir = Path.Combine(project, "cdk.out");
        await RunAsync(project, app[0], [.. app[1..], "--no-build"], ("CDK_OUTDIR", outdir));

        // Then: the roles admit exactly the config's project and refs, and the stack is the one keyless writes as a template
        var check = await KeylessCli.RunAsync("trust", "check", outdir, "--config", Path.Combine(project, KeylessConfig.FileName), "--format", "json");
        Assert.True(check.ExitCode == 0, check.ToString());
        var roles = JsonNode.Parse(check.Output)!["roles"]!.AsArray();
        Assert.Equal(["ProductionDeployRole", "StagingDeployRole"], roles.Select(r => StackComparison.WithoutHash((string)r!["role"]!)).Order(StringComparer.Ordinal));
        var synthesized = JsonNode.Parse(File.ReadAllText(Path.Combine(outdir, $"{StackNames.Stack(config.GitLab.Project)}.template.json")))!.AsObject();
        StackComparison.AssertSameStack("packaged app", synthesized, CloudFormationTemplate.Build(config));
    }

    private static async Task RunAsync(string folder, string program, IEnumerable<string> arguments, params (string Name, string Value)[] variables)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove(KeylessConfigFile.Variable);
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} in {folder}: exit code {process.ExitCode}\n{await output}\n{await errors}");
    }

    private static Task RunAsync(string folder, string program, params string[] arguments) => RunAsync(folder, program, (IEnumerable<string>)arguments);
}
