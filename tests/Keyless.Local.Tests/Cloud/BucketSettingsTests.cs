using System.Text.Json.Nodes;
using Amazon.S3;
using CsCheck;
using Keyless.Core;
using Keyless.Local.Cloud;

namespace Keyless.Local.Tests.Cloud;

/// <summary>
/// An AWS::S3::Bucket's versioning and expiry rules read from a template in CloudFormation's property names and put
/// in the S3 API's shape; anything the local cloud cannot apply as written is refused, naming where and what.
/// </summary>
public sealed class BucketSettingsTests
{
    private const string Source = "Stack.template.json";

    [Fact]
    public void Should_PutEveryRuleInTheS3ApiShape_When_TheTemplateWritesItInCloudFormationNames()
    {
        var rule = Gen.Select(Gen.String[Gen.Char["abcAZ09-_"], 1, 12], Gen.Bool, Gen.String[Gen.Char["abc/._"], 0, 10], Maybe(3650), Gen.Bool)
            .SelectMany(r => Gen.Select(Maybe(3650), Maybe(100), Maybe(30), Gen.Bool)
                .Select(n => (Id: r.Item1, Enabled: r.Item2, Prefix: r.Item3, Days: r.Item4, Marker: r.Item5 && r.Item4 is null, Noncurrent: n.Item1, Newer: n.Item1 is null ? null : n.Item2, Abort: n.Item3, AsStrings: n.Item4)))
            .Where(r => r.Days is not null || r.Marker || r.Noncurrent is not null || r.Abort is not null);

        rule.Sample(r =>
        {
            // Given: the rule as a template writes it, numbers as JSON numbers or as strings
            JsonNode Number(int n) => r.AsStrings ? JsonValue.Create(n.ToString(System.Globalization.CultureInfo.InvariantCulture)) : JsonValue.Create(n);
            var json = new JsonObject { ["Id"] = r.Id, ["Status"] = r.Enabled ? "Enabled" : "Disabled", ["Prefix"] = r.Prefix };
            if (r.Days is { } days)
            {
                json["ExpirationInDays"] = Number(days);
            }

            if (r.Marker)
            {
                json["ExpiredObjectDeleteMarker"] = true;
            }

            if (r.Noncurrent is { } noncurrent)
            {
                json["NoncurrentVersionExpiration"] = r.Newer is { } newer
                    ? new JsonObject { ["NoncurrentDays"] = Number(noncurrent), ["NewerNoncurrentVersions"] = Number(newer) }
                    : new JsonObject { ["NoncurrentDays"] = Number(noncurrent) };
            }

            if (r.Abort is { } abort)
            {
                json["AbortIncompleteMultipartUpload"] = new JsonObject { ["DaysAfterInitiation"] = Number(abort) };
            }

            // When
            var read = Assert.Single(Settings(new JsonObject { ["LifecycleConfiguration"] = new JsonObject { ["Rules"] = new JsonArray(json) } }).Lifecycle);
            var s3 = read.ToS3();

            // Then: the S3 API's names hold the values, and the rule reads back as itself
            Assert.Equal(r.Id, s3.Id);
            Assert.Equal(r.Enabled ? LifecycleRuleStatus.Enabled : LifecycleRuleStatus.Disabled, s3.Status);
            Assert.Equal(r.Prefix, s3.Filter.Prefix);
            Assert.Equal(r.Days, s3.Expiration?.Days);
            Assert.Equal(r.Marker ? true : null, s3.Expiration?.ExpiredObjectDeleteMarker);
            Assert.Equal(r.Days is null && !r.Marker, s3.Expiration is null);
            Assert.Equal(r.Noncurrent, s3.NoncurrentVersionExpiration?.NoncurrentDays);
            Assert.Equal(r.Newer, s3.NoncurrentVersionExpiration?.NewerNoncurrentVersions);
            Assert.Equal(r.Abort, s3.AbortIncompleteMultipartUpload?.DaysAfterInitiation);
            Assert.Equal(read, ExpiryRule.FromS3(s3));
        });
    }

    [Fact]
    public void Should_TakeTheOlderNoncurrentDaysProperty_When_ARuleUsesIt()
    {
        var rule = Assert.Single(Settings(Rules(new JsonObject { ["Status"] = "Enabled", ["NoncurrentVersionExpirationInDays"] = 9 }), "Site").Lifecycle);

        Assert.Equal(9, rule.ToS3().NoncurrentVersionExpiration.NoncurrentDays);
        Assert.Equal("SiteRule0", rule.Id); // a rule without Id gets one that stays the same from run to run
        Assert.Equal("", rule.ToS3().Filter.Prefix);
    }

    [Theory]
    [InlineData("Enabled")]
    [InlineData("Suspended")]
    public void Should_ReadTheVersioningStatus_When_ItIsOneS3Knows(string status) =>
        Assert.Equal(status, Settings(new JsonObject { ["VersioningConfiguration"] = new JsonObject { ["Status"] = status } }).Versioning);

    [Fact]
    public void Should_SayNothingOfVersionsOrRules_When_TheBucketHasNeither()
    {
        var settings = Settings(new JsonObject { ["BucketName"] = "b", ["BucketEncryption"] = new JsonObject() });

        Assert.Null(settings.Versioning);
        Assert.Empty(settings.Lifecycle);
    }

    [Theory]
    [InlineData("""{"VersioningConfiguration":{"Status":"On"}}""", "$.Resources.Bucket.Properties.VersioningConfiguration.Status", "found the string \"On\"; expected \"Enabled\" or \"Suspended\"")]
    [InlineData("""{"VersioningConfiguration":{}}""", "VersioningConfiguration.Status", "found nothing")]
    [InlineData("""{"VersioningConfiguration":{"Status":{"Ref":"Versioning"}}}""", "VersioningConfiguration.Status", "an intrinsic function cannot be resolved here")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":{}}}""", "LifecycleConfiguration.Rules", "expected a list of rules")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[],"TransitionDefaultMinimumObjectSize":"all_storage_classes_128K"}}""", "LifecycleConfiguration.TransitionDefaultMinimumObjectSize", "which keyless local apply does not apply")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"enabled","ExpirationInDays":3}]}}""", "Rules[0].Status", "found the string \"enabled\"; expected \"Enabled\" or \"Disabled\"")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","Transitions":[{"StorageClass":"GLACIER","TransitionInDays":30}]}]}}""", "Rules[0].Transitions", "no storage classes")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","ExpirationInDays":3,"TagFilters":[{"Key":"k","Value":"v"}]}]}}""", "Rules[0].TagFilters", "apply a template without it locally")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","ExpirationInDays":0}]}}""", "Rules[0].ExpirationInDays", "found 0; expected a whole number greater than 0")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","ExpirationInDays":"30 days"}]}}""", "Rules[0].ExpirationInDays", "found the string \"30 days\"")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","ExpirationInDays":1.5}]}}""", "Rules[0].ExpirationInDays", "found 1.5")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","ExpirationInDays":3,"ExpiredObjectDeleteMarker":true}]}}""", "Rules[0].ExpiredObjectDeleteMarker", "put them in two rules")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","ExpiredObjectDeleteMarker":"yes"}]}}""", "Rules[0].ExpiredObjectDeleteMarker", "expected true or false")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","NoncurrentVersionExpiration":{"NewerNoncurrentVersions":10}}]}}""", "NoncurrentVersionExpiration.NoncurrentDays", "found nothing")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","NoncurrentVersionExpiration":{"NoncurrentDays":30,"StorageClass":"GLACIER"}}]}}""", "NoncurrentVersionExpiration.StorageClass", "which keyless local apply does not apply")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","NoncurrentVersionExpirationInDays":5,"NoncurrentVersionExpiration":{"NoncurrentDays":30}}]}}""", "Rules[0].NoncurrentVersionExpirationInDays", "expected one of the two")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Status":"Enabled","AbortIncompleteMultipartUpload":{}}]}}""", "AbortIncompleteMultipartUpload.DaysAfterInitiation", "found nothing")]
    [InlineData("""{"LifecycleConfiguration":{"Rules":[{"Id":"Idle","Status":"Enabled","Prefix":"logs/"}]}}""", "$.Resources.Bucket.Properties.LifecycleConfiguration.Rules[0]", "found a rule that does nothing")]
    public void Should_RefuseNamingTheFieldAndValue_When_ASettingCannotBeAppliedAsWritten(string properties, string path, string says)
    {
        var error = Assert.Throws<KeylessException>(() => Settings(JsonNode.Parse(properties)!.AsObject()));

        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith($"{Source}: at $.Resources.Bucket.Properties.", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_MatchAReadBackWithoutNewerNoncurrentVersions_When_OnlyThatIsMissing()
    {
        var rule = new ExpiryRule("R", true, "") { NoncurrentDays = 30, NewerNoncurrentVersions = 10, ExpiredObjectDeleteMarker = true };

        Assert.True(rule.Matches(rule with { NewerNoncurrentVersions = null }));
        Assert.True(rule.Matches(rule));
        Assert.False(rule.Matches(rule with { NewerNoncurrentVersions = 3 }));
        Assert.False(rule.Matches(rule with { NewerNoncurrentVersions = null, NoncurrentDays = 7 }));
        Assert.False(rule.Matches(rule with { ExpiredObjectDeleteMarker = false }));
    }

    private static Gen<int?> Maybe(int max) => Gen.Select(Gen.Bool, Gen.Int[1, max], (present, n) => present ? n : (int?)null);

    private static JsonObject Rules(params JsonObject[] rules) => new() { ["LifecycleConfiguration"] = new JsonObject { ["Rules"] = new JsonArray(rules) } };

    private static BucketSettings Settings(JsonObject properties, string logicalId = "Bucket") => BucketSettings.From(Source, logicalId, properties);
}
