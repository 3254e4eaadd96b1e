using CsCheck;
using Keyless.Core.Configuration;
using Keyless.Core.Scaffolding;
using Keyless.Trust.Policies;
using YamlDotNet.RepresentationModel;

namespace Keyless.Cli.Tests.Init;

/// <summary>
/// The generated pipeline for any project and refs: valid YAML whose values read back as written, and rules that run
/// a deploy job for exactly the refs its role admits.
/// </summary>
public sealed class PipelineFileTests
{
    private static readonly Gen<string> Segment = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789_.-"], 1, 8].Where(s => s[0] is not ('.' or '-'));

    // Ref names with the characters git allows that mean something to YAML, to GitLab's expressions or to RE2.
    private static readonly Gen<string> RefName = Gen.String[Gen.Char["abcXYZ019/._-+#@!'\"()&|{}$%,="], 1, 10]
        .Where(KeylessConfigParser.IsRefName)
        .Where(n => !n.Contains("/.", StringComparison.Ordinal));

    private static readonly Gen<ExpectedRef> Ref =
        Gen.Select(Gen.OneOf("branch", "tag"), RefName, Gen.Bool)
            .Select((type, name, wildcard) => new ExpectedRef(type, wildcard ? name + "*" : name))
            .Where(r => KeylessConfigParser.IsRefName(r.Pattern));

    private static readonly Gen<KeylessConfig> Config =
        Gen.Select(Segment.List[2, 4], Ref.List[1, 3], Gen.Bool, Gen.OneOf("sts.amazonaws.com", "https://gitlab.example.com", "on", "12345", "a: b #c"))
            .Select((path, refs, manual, audience) => new KeylessConfig(
                "keyless.json",
                new GitLabSettings("https://gitlab.example.com", string.Join('/', path), null, null, "main", audience),
                new AwsSettings("111122223333", "eu-central-1"),
                new SiteSettings("site", "dist"),
                [new EnvironmentSettings("production", refs, ProtectedOnly: true, manual, null, null, "PriceClass_100", [], null)],
                []))
            .Where(c => KeylessConfigParser.IsProjectPath(c.GitLab.Project));

    [Fact]
    public void Should_ReadBackEveryValue_When_AnyProjectAndRefsAreWritten()
    {
        Config.Sample(config =>
        {
            var file = PipelineFile.Generate(new ProjectSetup(config, "$CI_SERVER_FQDN/acme/keyless/deploy@1.2.3"));

            var yaml = new YamlStream();
            yaml.Load(new StringReader(file.Content));
            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            var inputs = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)root["include"]).Children.Single())["inputs"];
            var environment = config.Environments.Single();
            Assert.Equal(config.GitLab.Audience, ((YamlScalarNode)inputs["audience"]).Value);
            var rules = ((YamlSequenceNode)inputs["rules"]).Children.Cast<YamlMappingNode>().ToList();
            Assert.Equal(environment.Refs.Select(PipelineRules.If), rules.Select(r => ((YamlScalarNode)r["if"]).Value));
            Assert.All(rules, r => Assert.Equal(environment.Manual, r.Children.ContainsKey("when")));
            Assert.Contains(file.LinesToAdd!, file.Content, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Should_MatchExactlyTheRefsTheRoleAdmits_When_ARulesPatternIsEvaluated()
    {
        // Differential: the rule's regular expression (RE2 as GitLab runs it; .NET's engine agrees on this subset)
        // against keyless's own glob, the StringLike of the role.
        Gen.Select(Ref.Where(r => r.Pattern.Contains('*', StringComparison.Ordinal)), RefName).Sample((expected, candidate) =>
        {
            var rule = PipelineRules.If(expected);
            var pattern = rule[(rule.IndexOf("=~ /", StringComparison.Ordinal) + 4)..^1].Replace("\\/", "/", StringComparison.Ordinal);
            var byRule = System.Text.RegularExpressions.Regex.IsMatch(candidate, pattern);
            var byRole = Glob.Matches(expected.Pattern, candidate);
            Assert.True(byRule == byRole, $"{expected} vs {candidate}: rule {rule} says {byRule}, the role's glob {byRole}");
        });
    }

    [Theory]
    [InlineData("$CI_SERVER_FQDN/acme/keyless/deploy@1.2.3", "$CI_API_V4_URL/projects/acme%2Fkeyless/packages/nuget/index.json")]
    [InlineData("gitlab.com/tools/ci/keyless/deploy@1.2.3", "https://gitlab.com/api/v4/projects/tools%2Fci%2Fkeyless/packages/nuget/index.json")]
    public void Should_InstallTheToolFromTheComponentsProject_When_TheComponentIsOnThisOrAnotherInstance(string component, string feed)
    {
        var config = new KeylessConfig(
            "keyless.json",
            new GitLabSettings("https://gitlab.example.com", "acme/website", null, null, "main", "sts.amazonaws.com"),
            new AwsSettings("111122223333", "eu-central-1"),
            new SiteSettings("site", "dist"),
            [new EnvironmentSettings("staging", [new ExpectedRef("branch", "main")], ProtectedOnly: true, Manual: false, null, null, "PriceClass_100", [], null)],
            []);

        var file = PipelineFile.Generate(new ProjectSetup(config, component));

        Assert.Contains($"--version 1.2.3 --add-source \"{feed}\"", file.Content, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("main", "$CI_COMMIT_BRANCH == \"main\"")]
    [InlineData("say\"hi", "$CI_COMMIT_BRANCH == 'say\"hi'")]
    [InlineData("a'b\"c", "$CI_COMMIT_BRANCH =~ /^a'b\"c$/")]
    [InlineData("release/*", "$CI_COMMIT_BRANCH =~ /^release\\/.*$/")]
    public void Should_WriteTheRule_When_ABranchIsNamedOrMatched(string name, string expected) =>
        Assert.Equal(expected, PipelineRules.If(new ExpectedRef("branch", name)));
}
