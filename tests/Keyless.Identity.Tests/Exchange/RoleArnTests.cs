using Keyless.Core;
using Keyless.Identity.Exchange;

namespace Keyless.Identity.Tests.Exchange;

public sealed class RoleArnTests
{
    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/deploy", "aws", "deploy")]
    [InlineData("arn:aws:iam::111122223333:role/ci/site/publish", "aws", "publish")]
    [InlineData("arn:aws-cn:iam::111122223333:role/deploy", "aws-cn", "deploy")]
    [InlineData("arn:aws-us-gov:iam::111122223333:role/a+b=c,d.e@f_g-h", "aws-us-gov", "a+b=c,d.e@f_g-h")]
    public void Should_Take_The_Arn_Apart_When_It_Names_A_Role(string value, string partition, string name)
    {
        // When
        var arn = RoleArn.Parse(value, "--role");

        // Then
        Assert.Equal(value, arn.Value);
        Assert.Equal(partition, arn.Partition);
        Assert.Equal("111122223333", arn.Account);
        Assert.Equal(name, arn.Name);
    }

    [Theory]
    [InlineData("deploy")]
    [InlineData("arn:aws:iam::1111:role/deploy")]
    [InlineData("arn:aws:iam::111122223333:user/deploy")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/deploy/session")]
    [InlineData("arn:aws:iam::111122223333:role/")]
    [InlineData("arn:aws:iam::111122223333:role/has space")]
    public void Should_Refuse_As_Unusable_Input_When_It_Is_Not_A_Role_Arn(string value)
    {
        // When
        var error = Assert.Throws<KeylessException>(() => RoleArn.Parse(value, "--role"));

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith($"--role \"{value}\" is not an IAM role ARN", error.Message, StringComparison.Ordinal);
    }
}
