using System.Text.Json.Nodes;
using Keyless.Local.Cloud;

namespace Keyless.Local.Tests.Cloud;

/// <summary>
/// moto's copy of a policy gains s3:DeleteObject on a bucket's ARN only where the policy already lets the role
/// delete every object of that bucket, so moto never allows a delete AWS would refuse.
/// </summary>
public sealed class MotoPolicyTests
{
    private const string Deploy = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"ListSite","Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::site"},
          {"Sid":"WriteSite","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::site/*"}]}
        """;

    [Fact]
    public void Should_AllowDeleteObjectOnTheBucketArn_When_ThePolicyMayDeleteEveryObject()
    {
        var adapted = JsonNode.Parse(MotoPolicy.For(Deploy))!["Statement"]!.AsArray();

        Assert.Equal(3, adapted.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Deploy)!["Statement"]![1], adapted[1]));
        var added = adapted[2]!;
        Assert.Equal("Allow", (string?)added["Effect"]);
        Assert.Equal("s3:DeleteObject", (string?)added["Action"]);
        Assert.Equal(["arn:aws:s3:::site"], added["Resource"]!.AsArray().Select(r => (string?)r));
    }

    [Theory]
    [InlineData("""{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::site/public/*"}""")]
    [InlineData("""{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::site-*/*"}""")]
    [InlineData("""{"Effect":"Allow","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::site/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}""")]
    [InlineData("""{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::site/*"}""")]
    public void Should_LeaveThePolicyAsItIs_When_ItMayNotDeleteEveryObjectOfABucket(string statement)
    {
        var policy = $$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""";

        Assert.Equal(policy, MotoPolicy.For(policy));
    }

    [Theory]
    [InlineData("s3:DeleteObject")]
    [InlineData("s3:Delete*")]
    [InlineData("S3:*")]
    [InlineData("*")]
    public void Should_LeaveThePolicyAsItIs_When_ItDeniesDeletingAnywhere(string action)
    {
        var deny = $$"""{"Effect":"Deny","Action":"{{action}}","Resource":"arn:aws:s3:::site/.keyless/*"}""";
        var policy = Deploy.Replace("]}", $",{deny}]}}", StringComparison.Ordinal);

        Assert.Equal(policy, MotoPolicy.For(policy));
    }
}
