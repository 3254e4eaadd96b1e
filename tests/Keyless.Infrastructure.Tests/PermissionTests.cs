using System.Text.Json.Nodes;

namespace Keyless.Infrastructure.Tests;

/// <summary>A deploy role may do seven things to its own environment's bucket and distribution, and nothing else.</summary>
[Collection(SynthesizedStacksDefinition.Name)]
public sealed class PermissionTests(SynthesizedStacks stacks)
{
    private static readonly string[] Allowed =
    [
        "cloudfront:CreateInvalidation", "cloudfront:GetInvalidation", "s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:PutObject",
    ];

    private static IEnumerable<JsonNode> Many(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n!) : node is null ? [] : [node];

    private static IEnumerable<string> Strings(JsonNode node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Strings(p.Value!).Prepend(p.Key)),
        JsonArray array => array.SelectMany(n => Strings(n!)),
        _ => node.GetValueKind() == System.Text.Json.JsonValueKind.String ? [(string)node!] : [],
    };

    /// <summary>Every statement granted to the role: its inline policies and any AWS::IAM::Policy attached to it.</summary>
    private static List<JsonObject> Statements(StackUnderTest stack, string roleId, JsonObject role)
    {
        var documents = Many(role["Policies"]).Select(p => p["PolicyDocument"]!).ToList();
        documents.AddRange(stack.OfType("AWS::IAM::Policy")
            .Where(p => Many(p.Resource["Properties"]!["Roles"]).Any(r => (string?)r["Ref"] == roleId))
            .Select(p => p.Resource["Properties"]!["PolicyDocument"]!));
        return [.. documents.SelectMany(d => Many(d["Statement"])).Select(s => s.AsObject())];
    }

    public static TheoryData<string> Environments => new() { "staging", "production" };

    [Theory]
    [MemberData(nameof(Environments))]
    public void Should_AllowExactlyTheDeployActionsOnItsOwnBucketAndDistribution_When_RoleIsSynthesized(string environment)
    {
        // Given
        var stack = stacks.Repo;
        var site = stack.Environment(environment).Site;
        var bucketArn = JsonNode.Parse($$"""{"Fn::GetAtt":["{{stack.LogicalId(site.Bucket)}}","Arn"]}""");
        var objects = JsonNode.Parse($$"""{"Fn::Join":["",[{{bucketArn!.ToJsonString()}},"/*"]]}""");
        var (roleId, role) = stack.RoleTagged(environment);

        // When
        var statements = Statements(stack, roleId, role);

        // Then
        Assert.Empty(stack.OfType("AWS::IAM::Policy"));
        Assert.Equal(Allowed, statements.SelectMany(s => Many(s["Action"]).Select(a => (string)a!)).Order(StringComparer.Ordinal));
        Assert.All(statements, s =>
        {
            Assert.Equal("Allow", (string?)s["Effect"]);
            Assert.Null(s["NotAction"]);
            Assert.Null(s["NotResource"]);
            Assert.Null(s["Condition"]);
        });

        JsonNode ResourceOf(string action) =>
            Assert.Single(Many(statements.Single(s => Many(s["Action"]).Any(a => (string?)a == action))["Resource"]));

        Assert.True(JsonNode.DeepEquals(bucketArn, ResourceOf("s3:ListBucket")));
        foreach (var action in new[] { "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject" })
        {
            Assert.True(JsonNode.DeepEquals(objects, ResourceOf(action)), action);
        }

        var distributionArn = ResourceOf("cloudfront:CreateInvalidation").ToJsonString();
        Assert.Contains($$"""{"Ref":"{{stack.LogicalId(site.Distribution)}}"}""", distributionArn, StringComparison.Ordinal);
        Assert.Contains(":cloudfront::111122223333:distribution/", distributionArn, StringComparison.Ordinal);
        Assert.Equal(distributionArn, ResourceOf("cloudfront:GetInvalidation").ToJsonString());
    }

    [Fact]
    public void Should_ContainNoWildcard_ExceptTheBucketsObjects_When_AnyRoleIsSynthesized()
    {
        foreach (var stack in new[] { stacks.Repo, stacks.SelfManaged })
        {
            foreach (var environment in stack.Stack.Environments)
            {
                var (roleId, role) = stack.RoleTagged(environment.Settings.Name);
                var objects = JsonNode.Parse($$"""{"Fn::Join":["",[{"Fn::GetAtt":["{{stack.LogicalId(environment.Site.Bucket)}}","Arn"]},"/*"]]}""");

                foreach (var statement in Statements(stack, roleId, role))
                {
                    Assert.All(Many(statement["Action"]), a => Assert.DoesNotContain("*", (string)a!, StringComparison.Ordinal));
                    foreach (var resource in Many(statement["Resource"]).Where(r => !JsonNode.DeepEquals(r, objects)))
                    {
                        Assert.All(Strings(resource), s => Assert.DoesNotContain("*", s, StringComparison.Ordinal));
                    }
                }
            }
        }
    }
}
