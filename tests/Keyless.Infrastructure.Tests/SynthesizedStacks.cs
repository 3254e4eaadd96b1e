using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Constructs;
using Keyless.Cdk;
using Keyless.Core.Configuration;
using Keyless.Testing;
using Keyless.Trust;

namespace Keyless.Infrastructure.Tests;

/// <summary>One synthesized stack: the config it was built from, the stack, its assertions view and its template JSON.</summary>
public sealed record StackUnderTest(KeylessConfig Config, KeylessStack Stack, Template Template, JsonObject Json, string TemplateText)
{
    public JsonObject ResourceMap => Json["Resources"]!.AsObject();

    /// <summary>The logical IDs and bodies of every resource of one type.</summary>
    public IReadOnlyList<(string LogicalId, JsonObject Resource)> OfType(string type) =>
        [.. ResourceMap.Where(r => (string?)r.Value!["Type"] == type).Select(r => (r.Key, r.Value!.AsObject()))];

    public string LogicalId(IConstruct construct) => Stack.GetLogicalId((CfnElement)construct.Node.DefaultChild!);

    public EnvironmentResources Environment(string name) => Stack.Environments.Single(e => e.Settings.Name == name);

    /// <summary>The deploy role of an environment, found by its <c>keyless:environment</c> tag.</summary>
    public (string LogicalId, JsonObject Properties) RoleTagged(string environment)
    {
        var (id, role) = Assert.Single(OfType("AWS::IAM::Role"), r => EnvironmentTag(r.Resource) == environment);
        return (id, role["Properties"]!.AsObject());
    }

    public static string? EnvironmentTag(JsonObject role) =>
        role["Properties"]?["Tags"]?.AsArray()
            .Where(t => (string?)t!["Key"] == GitLabDeployRole.EnvironmentTag)
            .Select(t => (string?)t!["Value"])
            .SingleOrDefault();
}

/// <summary>
/// One CDK app for every test: starting jsii and loading aws-cdk-lib takes seconds, synthesizing a stack a
/// fraction of one. The app writes its cloud assembly to a temporary folder, never into the repository.
/// </summary>
public sealed class SynthesizedStacks : IDisposable
{
    public const string SelfManagedConfig = """
        {
          "gitlab": {"url": "https://gitlab.example.com", "project": "platform/site", "audience": "sts.amazonaws.com"},
          "aws": {"account": "444455556666", "region": "us-east-1"},
          "thumbprints": ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
          "environments": {
            "staging": {"refs": ["branch:main"], "bucket": "platform-site-staging"},
            "production": {
              "refs": ["tag:v*"], "protected": true, "priceClass": "PriceClass_All", "url": "https://www.example.com",
              "domainNames": ["www.example.com"], "certificateArn": "arn:aws:acm:us-east-1:444455556666:certificate/0c3a8f2e-5f1b-4a7e-9d2c-6b1e2f3a4b5c"
            }
          }
        }
        """;

    public SynthesizedStacks()
    {
        Outdir = Directory.CreateTempSubdirectory("keyless-cdk-tests-").FullName;
        RepoConfigPath = Path.Combine(RepositoryRoot, KeylessConfig.FileName);
        var repoJson = File.ReadAllText(RepoConfigPath);
        var repo = KeylessConfigParser.Parse("keyless.json", repoJson);
        var selfManaged = KeylessConfigParser.Parse("self-managed.json", SelfManagedConfig);
        var broadened = KeylessConfigParser.Parse("broadened.json", Broaden(repoJson));

        var app = new App(new AppProps { Outdir = Outdir });
        var stacks = new (string Id, KeylessStackProps Props)[]
        {
            ("Repo", new KeylessStackProps { Config = repo }),
            ("SelfManaged", new KeylessStackProps { Config = selfManaged }),
            ("Imported", new KeylessStackProps { Config = repo, ExistingOidcProviderArn = DeployTrustPolicy.ProviderArn(repo), StackName = "Keyless-imported" }),
            ("Broadened", new KeylessStackProps { Config = broadened, StackName = "Keyless-broadened" }),
        }.Select(s => (s.Props.Config, Stack: new KeylessStack(app, s.Id, s.Props))).ToList();

        var assembly = app.Synth();
        var synthesized = stacks.Select(s =>
        {
            var text = File.ReadAllText(Path.Combine(assembly.Directory, s.Stack.TemplateFile));
            return new StackUnderTest(s.Config, s.Stack, Template.FromStack(s.Stack), JsonNode.Parse(text)!.AsObject(), text);
        }).ToList();
        (Repo, SelfManaged, Imported, Broadened) = (synthesized[0], synthesized[1], synthesized[2], synthesized[3]);
    }

    public static string RepositoryRoot { get; } = Repository.Root;

    public string Outdir { get; }

    public string RepoConfigPath { get; }

    /// <summary>The repository's <c>keyless.json</c>: gitlab.com, staging on protected main, production on protected v* tags.</summary>
    public StackUnderTest Repo { get; }

    /// <summary>A self-managed instance with a private CA, a named bucket and a custom domain.</summary>
    public StackUnderTest SelfManaged { get; }

    /// <summary>The repository config with the account's existing OIDC provider.</summary>
    public StackUnderTest Imported { get; }

    /// <summary>The repository config with staging opened to every protected branch, and no production.</summary>
    public StackUnderTest Broadened { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Outdir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing a test run for.
        }
    }

    private static string Broaden(string repoJson)
    {
        var root = JsonNode.Parse(repoJson)!.AsObject();
        var environments = root["environments"]!.AsObject();
        environments.Remove("production");
        environments["staging"]!["refs"] = new JsonArray("branch:*");
        return root.ToJsonString();
    }
}

[CollectionDefinition(Name)]
public sealed class SynthesizedStacksDefinition : ICollectionFixture<SynthesizedStacks>
{
    public const string Name = "Synthesized stacks";
}
