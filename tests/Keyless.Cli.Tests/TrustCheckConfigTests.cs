using System.Text.Json;
using System.Text.Json.Nodes;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core.Configuration;
using Keyless.Trust;

namespace Keyless.Cli.Tests;

/// <summary>
/// With the project config, roles tagged <c>keyless:environment</c> must admit exactly their environment's
/// refs: a role built from the config passes, a broadened one fails with a witness.
/// </summary>
public sealed class TrustCheckConfigTests : IDisposable
{
    private static readonly string ConfigPath = Path.Combine(Repo.Root, "keyless.json");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Should_Pass_When_TemplateRolesAreBuiltFromTheConfig()
    {
        var template = WriteTemplate(_ => { });

        var result = await KeylessCli.RunAsync("trust", "check", template, "--config", ConfigPath, "--now", Repo.Now, "--format", "json");

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(0, json.RootElement.GetProperty("summary").GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task Should_FailWithAWitness_When_TheStagingRoleIsBroadenedToAnyBranch()
    {
        var template = WriteTemplate(resources =>
        {
            var condition = resources["StagingDeployRole"]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]!.AsObject();
            condition["StringEquals"]!.AsObject().Remove("gitlab.com:sub");
            condition["StringLike"] = new JsonObject { ["gitlab.com:sub"] = "project_path:keyless-demo/website:ref_type:branch:ref:*" };
        });

        var result = await KeylessCli.RunAsync("trust", "check", template, "--config", ConfigPath, "--now", Repo.Now, "--format", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var staging = json.RootElement.GetProperty("roles").EnumerateArray().Single(r => r.GetProperty("role").GetString() == "StagingDeployRole");
        var finding = staging.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("rule").GetString() == "KL020");
        Assert.NotEqual("main", finding.GetProperty("witness").GetProperty("ref").GetString());
    }

    [Fact]
    public async Task Should_ExitTwo_When_ARoleIsTaggedWithAnEnvironmentTheConfigLacks()
    {
        var template = WriteTemplate(resources => resources["StagingDeployRole"]!["Properties"]!["Tags"]![0]!["Value"] = "qa");

        var result = await KeylessCli.RunAsync("trust", "check", template, "--config", ConfigPath);

        CliAssert.UnusableInput(result);
        Assert.Contains("keyless:environment=qa", result.Errors, StringComparison.Ordinal);
    }

    private string WriteTemplate(Action<JsonObject> change)
    {
        var config = KeylessConfigParser.Parse(ConfigPath, File.ReadAllText(ConfigPath));
        var resources = new JsonObject
        {
            ["GitLabProvider"] = new JsonObject
            {
                ["Type"] = "AWS::IAM::OIDCProvider",
                ["Properties"] = new JsonObject { ["Url"] = config.GitLab.Url, ["ClientIdList"] = new JsonArray(config.GitLab.Audience) },
            },
        };
        foreach (var environment in config.Environments)
        {
            var name = char.ToUpperInvariant(environment.Name[0]) + environment.Name[1..] + "DeployRole";
            var policy = JsonNode.Parse(DeployTrustPolicy.Json(config, environment, "PROVIDER"))!;
            policy["Statement"]![0]!["Principal"]!["Federated"] = new JsonObject { ["Ref"] = "GitLabProvider" };
            resources[name] = new JsonObject
            {
                ["Type"] = "AWS::IAM::Role",
                ["Properties"] = new JsonObject
                {
                    ["AssumeRolePolicyDocument"] = policy,
                    ["MaxSessionDuration"] = 3600,
                    ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "keyless:environment", ["Value"] = environment.Name }),
                },
            };
        }

        change(resources);
        var path = Path.Combine(_temp.Path, "Keyless.template.json");
        File.WriteAllText(path, new JsonObject { ["Resources"] = resources }.ToJsonString());
        return path;
    }
}
