using System.Diagnostics;
using System.Text.Json.Nodes;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core.Configuration;
using Keyless.Stack;
using Keyless.Trust;

namespace Keyless.Cli.Tests;

/// <summary>
/// <c>keyless aws template</c>: the template admits exactly the configured project and refs (by <c>keyless trust check</c>),
/// passes cfn-lint, and refers to an existing provider only when it is the instance's in the config's account.
/// </summary>
public sealed class AwsTemplateTests : IDisposable
{
    private const string SelfManagedConfig = """
        {
          "gitlab": {"url": "https://gitlab.example.com", "project": "platform/docs/site", "audience": "https://gitlab.example.com"},
          "aws": {"account": "444455556666", "region": "us-east-1"},
          "environments": {
            "preview": {"refs": ["branch:main", "branch:release/*"], "priceClass": "PriceClass_200"},
            "live": {"refs": ["tag:v*"], "protected": true, "bucket": "platform-docs-live", "domainNames": ["docs.example.com"],
                     "certificateArn": "arn:aws:acm:us-east-1:444455556666:certificate/0c3a8f2e-5f1b-4a7e-9d2c-6b1e2f3a4b5c"}
          }
        }
        """;

    private static readonly string RepoConfig = Path.Combine(Repo.Root, KeylessConfig.FileName);

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Configs => ["repository", "self-managed"];

    private string ConfigPath(string name) => name == "repository" ? RepoConfig : _temp.Write("self-managed.json", SelfManagedConfig);

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task Should_AdmitExactlyTheConfiguredProjectAndRefs_When_TrustCheckReadsTheTemplate(string name)
    {
        // Given
        var config = ConfigPath(name);
        var template = Path.Combine(_temp.Path, "out", "keyless.template.json");

        // When
        var written = await KeylessCli.RunAsync("aws", "template", "--config", config, "--out", template);
        var check = await KeylessCli.RunAsync("trust", "check", template, "--config", config, "--now", Repo.Now, "--format", "json");

        // Then: one role per environment, each admitting only its own refs of the one project
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Contains("aws cloudformation deploy --template-file", written.Output, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 0, check.ToString());
        var parsed = KeylessConfigParser.Parse(config, File.ReadAllText(config));
        var roles = JsonNode.Parse(check.Output)!["roles"]!.AsArray();
        Assert.Equal(parsed.Environments.Select(e => StackOutputs.Prefix(e.Name) + "DeployRole").Order(StringComparer.Ordinal), roles.Select(r => (string)r!["role"]!).Order(StringComparer.Ordinal));
        // gitlab.com pins ref_protected, so nothing remains to warn of; a self-managed instance has no such key (KL005 warnings)
        Assert.All(roles, role => Assert.DoesNotContain(role!["findings"]!.AsArray(), f => (string?)f!["severity"] == "error" || name == "repository"));
        var admitted = string.Join("\n", roles.Select(r => r!["admitted"]!.ToJsonString()));
        Assert.Contains(parsed.GitLab.Project, admitted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_RunAsShown_When_TheInfrastructurePageShowsAKeylessCommand()
    {
        // Given: the page's keyless command lines, in a folder with the repository's keyless.json
        var page = File.ReadAllText(Path.Combine(Repo.Root, "docs", "infrastructure.md"));
        var lines = page.Split('\n').Select(l => l.Split(" # ")[0].Trim()).Where(l => l.StartsWith("keyless ", StringComparison.Ordinal)).ToList();
        File.Copy(RepoConfig, Path.Combine(_temp.Path, KeylessConfig.FileName));
        var services = new KeylessServices { WorkingFolder = _temp.Path };

        // When / Then
        Assert.True(lines.Count >= 3, string.Join("\n", lines));
        foreach (var line in lines)
        {
            var result = await KeylessCli.RunAsync(services, [.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)]);
            Assert.True(result.ExitCode == 0, $"{line}\n{result}");
        }

        Assert.True(File.Exists(Path.Combine(_temp.Path, "keyless.template.json")));
    }

    [Fact]
    public async Task Should_PrintTheTemplate_When_NoOutIsGiven()
    {
        var result = await KeylessCli.RunAsync("aws", "template", "--config", RepoConfig);

        Assert.Equal(0, result.ExitCode);
        var config = KeylessConfigParser.Parse(RepoConfig, File.ReadAllText(RepoConfig));
        Assert.Equal(CloudFormationTemplate.For(config), result.Output);
    }

    [Fact]
    public async Task Should_ReferToTheAccountsProviderAndCreateNone_When_OidcProviderIsGiven()
    {
        const string Existing = "arn:aws:iam::111122223333:oidc-provider/gitlab.com";

        var result = await KeylessCli.RunAsync("aws", "template", "--config", RepoConfig, "--oidc-provider", Existing);

        Assert.Equal(0, result.ExitCode);
        var template = JsonNode.Parse(result.Output)!;
        Assert.DoesNotContain(template["Resources"]!.AsObject(), r => (string?)r.Value!["Type"] == "AWS::IAM::OIDCProvider");
        Assert.Equal(Existing, (string?)template["Resources"]!["StagingDeployRole"]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Federated"]);
        Assert.Equal(Existing, (string?)template["Outputs"]!["OidcProviderArn"]!["Value"]);
    }

    [Theory]
    [InlineData("arn:aws:iam::999999999999:oidc-provider/gitlab.com")]
    [InlineData("arn:aws:iam::111122223333:oidc-provider/gitlab.example.com")]
    [InlineData("gitlab.com")]
    public async Task Should_Exit2NamingTheExpectedProvider_When_OidcProviderIsNotTheInstancesInTheAccount(string arn)
    {
        var result = await KeylessCli.RunAsync("aws", "template", "--config", RepoConfig, "--oidc-provider", arn, "--out", Path.Combine(_temp.Path, "t.json"));

        CliAssert.UnusableInput(result);
        Assert.Contains($"--oidc-provider {arn}: not the provider for https://gitlab.com in account 111122223333", result.Errors, StringComparison.Ordinal);
        Assert.Contains("expected " + DeployTrustPolicy.ProviderArn(KeylessConfigParser.Parse(RepoConfig, File.ReadAllText(RepoConfig))), result.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "t.json")));
    }

    [Fact]
    public async Task Should_PassCfnLint_When_TemplatesOfEveryShapeAreWritten()
    {
        // Given: gitlab.com with a created and with an existing provider, and a self-managed instance with a custom domain
        var templates = new[]
        {
            ("created.json", new[] { "--config", RepoConfig }),
            ("existing.json", new[] { "--config", RepoConfig, "--oidc-provider", "arn:aws:iam::111122223333:oidc-provider/gitlab.com" }),
            ("self-managed.json", new[] { "--config", ConfigPath("self-managed") }),
        };
        foreach (var (file, options) in templates)
        {
            var result = await KeylessCli.RunAsync(["aws", "template", "--out", Path.Combine(_temp.Path, "lint", file), .. options]);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        // When
        var start = new ProcessStartInfo("cfn-lint") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (file, _) in templates)
        {
            start.ArgumentList.Add(Path.Combine(_temp.Path, "lint", file));
        }

        using var lint = Process.Start(start) ?? throw new InvalidOperationException("cfn-lint did not start; install it (.ci/prerequisites cfn-lint).");
        var output = await lint.StandardOutput.ReadToEndAsync();
        var errors = await lint.StandardError.ReadToEndAsync();
        await lint.WaitForExitAsync();

        // Then: no error, warning or informational finding
        Assert.True(lint.ExitCode == 0, $"cfn-lint exit code {lint.ExitCode}\n{output}\n{errors}");
    }
}
