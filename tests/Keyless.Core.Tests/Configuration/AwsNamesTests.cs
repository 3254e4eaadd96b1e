using CsCheck;
using Keyless.Core.Configuration;

namespace Keyless.Core.Tests.Configuration;

public sealed class AwsNamesTests
{
    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-central-1")]
    [InlineData("ap-southeast-5")]
    [InlineData("cn-northwest-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("us-iso-east-1")]
    [InlineData("us-isob-east-1")]
    [InlineData("eusc-de-east-1")]
    public void Should_AcceptTheRegion_When_ItHasTheShapeOfAwsRegionCodes(string region) => Assert.True(AwsNames.IsRegion(region));

    [Theory]
    [InlineData("mars-1")]
    [InlineData("Frankfurt")]
    [InlineData("us_east_1")]
    [InlineData("US-EAST-1")]
    [InlineData("us-east")]
    [InlineData("us-east-1a")]
    [InlineData("eu-central-100")]
    [InlineData("")]
    public void Should_RefuseTheRegion_When_NoRegionIsNamedSo(string region) => Assert.False(AwsNames.IsRegion(region));

    [Theory]
    [InlineData("111122223333", true)]
    [InlineData("abc", false)]
    [InlineData("11112222333", false)]
    [InlineData("1111222233334", false)]
    [InlineData("1111-2222-3333", false)]
    public void Should_AcceptOnlyTwelveDigits_When_CheckingAnAccountId(string account, bool expected) => Assert.Equal(expected, AwsNames.IsAccount(account));

    [Fact]
    public void Should_AcceptExactlyTheBucketNamesS3Allows_When_CheckingAName()
    {
        // The rules, one by one: 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit.
        static bool LowerOrDigit(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
        static bool Expected(string name) =>
            name.Length is >= 3 and <= 63 && LowerOrDigit(name[0]) && LowerOrDigit(name[^1]) && name.All(c => LowerOrDigit(c) || c is '.' or '-');

        Gen.String[Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['0', '9'], Gen.Char["._-A/ "]), 0, 70]
            .Sample(name => Assert.Equal(Expected(name), AwsNames.IsBucketName(name)));
        Assert.True(AwsNames.IsBucketName("keyless-site.example"));
        Assert.False(AwsNames.IsBucketName("My_Bucket"));
    }

    [Fact]
    public void Should_RefuseAClientId_When_ItIsEmptyTooLongOrHasControlCharacters()
    {
        Assert.True(AwsNames.IsClientId("sts.amazonaws.com"));
        Assert.True(AwsNames.IsClientId(new string('a', 255)));
        Assert.False(AwsNames.IsClientId(""));
        Assert.False(AwsNames.IsClientId(new string('a', 256)));
        Assert.False(AwsNames.IsClientId("a\nb"));
    }
}
