using Keyless.Identity.Exchange;

namespace Keyless.Identity.Tests.Exchange;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(40, 1000)]
    public void Should_Double_The_Ceiling_Up_To_The_Cap_When_Retrying_Again(int retry, int ceilingMilliseconds)
    {
        // Given: a sample just under 1, so the wait is (almost) the ceiling
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), Sample = () => 1 };

        // When
        var delay = policy.DelayBefore(retry);

        // Then
        Assert.Equal(ceilingMilliseconds, delay.TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Should_Scale_The_Wait_By_The_Sample_When_Jittering()
    {
        // Given
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), Sample = () => 0.25 };

        // When
        var delay = policy.DelayBefore(3);

        // Then
        Assert.Equal(100, delay.TotalMilliseconds, precision: 6);
    }

    [Fact]
    public void Should_Stay_Within_The_Ceiling_When_The_Sample_Is_Random()
    {
        var policy = new RetryPolicy();
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(policy.DelayBefore(3), TimeSpan.Zero, TimeSpan.FromSeconds(2));
        }
    }
}
