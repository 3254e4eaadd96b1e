using Keyless.Core.Configuration;
using Keyless.Testing;

namespace Keyless.Core.Tests.Configuration;

public sealed class KeylessConfigTests
{
    private static readonly string Root = Repository.Root;
    private static readonly string RepoConfig = File.ReadAllText(Path.Combine(Root, "keyless.json"));

    private const string Minimal = """
        {"gitlab": {"project": "acme/website", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}
        """;

    [Fact]
    public void Should_ReadTheRepositoryConfig_When_ItIsValid()
    {
        var config = KeylessConfigParser.Parse("keyless.json", RepoConfig);

        Assert.Equal("keyless-demo/website", config.GitLab.Project);
        Assert.Equal(["staging", "production"], config.Environments.Select(e => e.Name));
        Assert.True(Validate(RepoConfig));
    }

    [Fact]
    public void Should_DeployStagingFromDefaultBranchAndProductionFromProtectedTags_When_NoEnvironmentIsNamed()
    {
        var config = KeylessConfigParser.Parse("k.json", Minimal);

        var staging = config.Environment("staging");
        var production = config.Environment("production");
        Assert.Equal("branch:main", Assert.Single(staging.Refs).ToString());
        Assert.Equal("tag:v*", Assert.Single(production.Refs).ToString());
        Assert.True(production.ProtectedOnly);
        Assert.True(production.Manual);
        Assert.Equal("https://gitlab.com", config.GitLab.Url);
        Assert.Equal("https://gitlab.com", config.GitLab.Audience);
        Assert.True(Validate(Minimal));
    }

    [Theory]
    [InlineData("""{"gitlab": {"project": "acme/website"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""", "$.gitlab.projectId", "numeric ID")]
    [InlineData("""{"gitlab": {"project": "website", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""", "$.gitlab.project", "group/project")]
    [InlineData("""{"gitlab": {"url": "http://gitlab.example.com", "project": "a/b"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""", "$.gitlab.url", "https URL")]
    [InlineData("""{"gitlab": {"url": "https://gitlab.example.com/", "project": "a/b"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""", "$.gitlab.url", "trailing slash")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "1234", "region": "eu-central-1"}}""", "$.aws.account", "12-digit")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "Frankfurt"}}""", "$.aws.region", "region name")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}}""", "$.aws", "\"aws\" section")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42", "projectID": "1"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""", "$.gitlab.projectID", "case-sensitive")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["main"]}}}""", "$.environments.staging.refs[0]", "branch:NAME")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"qa": {}}}""", "$.environments.qa.refs", "refs that may deploy")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["branch:main"], "bucket": "My_Bucket"}}}""", "$.environments.staging.bucket", "S3 bucket name")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["branch:main"], "priceClass": "cheap"}}}""", "$.environments.staging.priceClass", "PriceClass_100")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["branch:main"], "domainNames": ["www.example.com"]}}}""", "$.environments.staging.certificateArn", "together")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["branch:main"], "domainNames": ["www.example.com"], "certificateArn": "arn:aws:acm:eu-central-1:111122223333:certificate/x"}}}""", "$.environments.staging.certificateArn", "us-east-1")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["branch:main"], "distribution": "e123"}}}""", "$.environments.staging.distribution", "distribution ID")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["branch:main"], "prefix": "/www"}}}""", "$.environments.staging.prefix", "leading slash")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "environments": {"staging": {"refs": ["branch:main"], "prefix": ".keyless"}}}""", "$.environments.staging.prefix", "leading dot")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "site": {"cacheControl": [{"files": "*.pdf"}]}}""", "$.site.cacheControl[0].value", "the value")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}, "site": {"cacheControl": {"*.pdf": "no-store"}}}""", "$.site.cacheControl", "list of rules")]
    public void Should_NameTheFieldAndTheFix_When_ConfigIsBad(string json, string path, string hint)
    {
        var error = Assert.Throws<KeylessException>(() => KeylessConfigParser.Parse("keyless.json", json));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith($"keyless.json: at {path}: found ", error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.False(Validate(json), "the JSON schema should reject it too");
    }

    [Theory]
    [InlineData("{\n  \"gitlab\": {\"project\": \"a/b\" \"projectId\": \"42\"}\n}", "keyless.json: not valid JSON at line 2, column 31: '\"' is invalid after a value.")]
    [InlineData("{\n  // é\n  \"gitlab\": {\"project\": \"é/b\" \"projectId\": \"42\"}\n}", "keyless.json: not valid JSON at line 3, column 31: '\"' is invalid after a value.")]
    [InlineData("{\"gitlab\": {\"project\": \"a/b\"", "keyless.json: not valid JSON at line 1, column 29: the file ends before every { and [ is closed.")]
    public void Should_NameTheLineAndColumnAndWhatJsonAllows_When_TheSyntaxIsBroken(string json, string start)
    {
        var error = Assert.Throws<KeylessException>(() => KeylessConfigParser.Parse("keyless.json", json));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.True(error.Message.StartsWith(start, StringComparison.Ordinal), error.Message);
        Assert.EndsWith("Fix the JSON there; // comments and trailing commas are allowed.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("schema.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReadTheConfig_When_ItHasCommentsAndTrailingCommas()
    {
        var json = "// the site\n{\"gitlab\": {\"project\": \"acme/website\", \"projectId\": \"42\",}, /* where */ \"aws\": {\"account\": \"111122223333\", \"region\": \"eu-central-1\",},}";

        Assert.Equal(KeylessConfigWriter.Write(KeylessConfigParser.Parse("keyless.json", Minimal)), KeylessConfigWriter.Write(KeylessConfigParser.Parse("keyless.json", json)));
    }

    [Theory]
    [InlineData("""{"aws": {"account": "111122223333", "region": "eu-central-1"}}""", "$.gitlab", "the GitLab project whose pipelines deploy, e.g. \"gitlab\": {")]
    [InlineData("""{"gitlab": {"project": "a/b", "projectId": "42"}}""", "$.aws", "the AWS account and Region the site is deployed to, e.g. \"aws\": {")]
    public void Should_SayWhatTheSectionHoldsAndThatInitWritesIt_When_ASectionIsMissing(string json, string path, string holds)
    {
        var error = Assert.Throws<KeylessException>(() => KeylessConfigParser.Parse("keyless.json", json));

        Assert.StartsWith($"keyless.json: at {path}: found nothing; expected the \"{path[2..]}\" section: {holds}", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("(keyless init writes a complete keyless.json).", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("schema.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReadDeployTargetAndCacheRules_When_Given()
    {
        var json = """
            {"gitlab": {"project": "a/b", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"},
             "site": {"output": "public", "cacheControl": [{"files": "*.pdf", "value": "public, max-age=3600"}]},
             "environments": {"staging": {"refs": ["branch:main"], "bucket": "acme-staging", "distribution": "E2QWRUHAPOMQZL", "prefix": "www/"}}}
            """;

        var config = KeylessConfigParser.Parse("k.json", json);

        var staging = config.Environment("staging");
        Assert.Equal("E2QWRUHAPOMQZL", staging.Distribution);
        Assert.Equal("www", staging.Prefix);
        Assert.Equal(new CacheControlRule("*.pdf", "public, max-age=3600"), Assert.Single(config.Site.CacheRules));
        Assert.True(Validate(json));
    }

    private static bool Validate(string json) => KeylessSchema.IsValid(json);
}
