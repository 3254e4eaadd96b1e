using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Deploy.Aws;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>With --env, what keyless.json leaves out comes from the stack outputs: the pipeline needs only its token.</summary>
public sealed class StackOutputsTargetTests : IDisposable
{
    private const string Config = """{"gitlab": {"project": "acme/website", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""";
    private readonly string _folder = Directory.CreateTempSubdirectory("keyless-outputs-").FullName;

    private InputFiles Files => new(_folder, TextReader.Null);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Should_TakeBucketRoleDistributionAndUrlFromTheOutputs_When_ConfigNamesNone()
    {
        // Given
        var outputs = Path.Combine(_folder, "cdk-outputs.json");
        File.WriteAllText(outputs, """
            {"Keyless-acme-website": {"StagingRoleArn": "arn:aws:iam::111122223333:role/staging-deploy", "StagingBucketName": "acme-website-staging",
             "StagingDistributionId": "E2QWRUHAPOMQZL", "StagingUrl": "https://d111111abcdef8.cloudfront.net", "ProductionBucketName": "acme-website-prod"}}
            """);
        var config = KeylessConfigParser.Parse("keyless.json", Config);

        // When
        var target = new TargetOptions { Environment = "staging" }.Resolve(config, new MapEnvironment { [StackOutputs.FileVariable] = outputs }, Files);

        // Then
        Assert.Equal("acme-website-staging", target.Layout.Bucket);
        Assert.Equal("arn:aws:iam::111122223333:role/staging-deploy", target.Role);
        Assert.Equal("E2QWRUHAPOMQZL", target.Distribution);
        Assert.Equal("https://d111111abcdef8.cloudfront.net", target.Url);
        Assert.Equal("eu-central-1", target.Region);
    }

    [Fact]
    public void Should_NameTheVariableAndTheFix_When_TheOutputsFileIsMissingOrSilent()
    {
        var config = KeylessConfigParser.Parse("keyless.json", Config);

        var missing = Assert.Throws<KeylessException>(() => new TargetOptions { Environment = "staging" }
            .Resolve(config, new MapEnvironment { [StackOutputs.FileVariable] = Path.Combine(_folder, "nope.json") }, Files));
        var silent = Assert.Throws<KeylessException>(() => new TargetOptions { Environment = "staging" }.Resolve(config, new MapEnvironment(), Files));

        Assert.Contains("KEYLESS_OUTPUTS", missing.Message, StringComparison.Ordinal);
        Assert.Contains("StagingBucketName", silent.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.UnusableInput, silent.Kind);
    }
}
