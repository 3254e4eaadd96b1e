using System.Text.Json.Nodes;
using CsCheck;
using Keyless.Core.Configuration;

namespace Keyless.Core.Tests.Configuration;

public sealed class StackOutputsTests
{
    private static readonly Gen<Dictionary<string, string>[]> Stacks =
        Gen.Dictionary(Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"], 1, 20], Gen.String[0, 40])[0, 6].Array[1, 3];

    [Fact]
    public void Should_ReadTheSameOutputs_When_TheFileIsWhatDescribeStacksPrintsOrWhatTheCdkWrites() =>
        Stacks.Sample(stacks =>
        {
            var cdk = new JsonObject();
            var described = new JsonArray();
            for (var i = 0; i < stacks.Length; i++)
            {
                cdk[$"Stack{i}"] = new JsonObject(stacks[i].Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value)));
                described.Add(new JsonObject
                {
                    ["StackName"] = $"Stack{i}",
                    ["StackStatus"] = "CREATE_COMPLETE",
                    ["Outputs"] = new JsonArray([.. stacks[i].Select(o => (JsonNode)new JsonObject { ["OutputKey"] = o.Key, ["OutputValue"] = o.Value, ["Description"] = "d" })]),
                });
            }

            var fromCdk = StackOutputs.Parse("cdk-outputs.json", cdk.ToJsonString()).Values;
            var fromCli = StackOutputs.Parse("cdk-outputs.json", new JsonObject { ["Stacks"] = described }.ToJsonString()).Values;

            Assert.Equal(fromCdk.OrderBy(o => o.Key, StringComparer.Ordinal), fromCli.OrderBy(o => o.Key, StringComparer.Ordinal));
            Assert.Equal(stacks.SelectMany(s => s).GroupBy(o => o.Key).Select(g => KeyValuePair.Create(g.Key, g.Last().Value)).OrderBy(o => o.Key, StringComparer.Ordinal), fromCli.OrderBy(o => o.Key, StringComparer.Ordinal));
        });

    [Fact]
    public void Should_ReadTheRoleOfAnEnvironment_When_DescribeStacksOutputIsGiven()
    {
        const string json = """
            {"Stacks": [{"StackName": "Keyless-acme-website", "Outputs": [
              {"OutputKey": "StagingRoleArn", "OutputValue": "arn:aws:iam::111122223333:role/Keyless-acme-website-StagingDeployRole-AbC"},
              {"OutputKey": "StagingBucketName", "OutputValue": "keyless-acme-website-staging-abc"}]}]}
            """;

        var outputs = StackOutputs.Parse("cdk-outputs.json", json);

        Assert.Equal("arn:aws:iam::111122223333:role/Keyless-acme-website-StagingDeployRole-AbC", outputs.RoleArn("staging"));
        Assert.Equal("keyless-acme-website-staging-abc", outputs.Bucket("staging"));
        Assert.Null(outputs.RoleArn("production"));
    }

    [Theory]
    [InlineData("""{"Stacks": {}}""", "$.Stacks")]
    [InlineData("""[]""", "cdk deploy --outputs-file")]
    [InlineData("""{"Stacks": [""", "not valid JSON")]
    public void Should_NameTheFileAndWhatWasExpected_When_TheFileIsNeitherShape(string json, string expected)
    {
        var error = Assert.Throws<KeylessException>(() => StackOutputs.Parse("outputs.json", json));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains("outputs.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
