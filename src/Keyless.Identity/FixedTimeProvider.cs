namespace Keyless.Identity;

/// <summary>A clock stopped at one instant: what <c>--now</c> gives the verifier and the minter.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public static FixedTimeProvider AtUnixSeconds(long seconds) => new(DateTimeOffset.FromUnixTimeSeconds(seconds));

    public override DateTimeOffset GetUtcNow() => now;
}
