namespace Keyless.Identity.Exchange;

/// <summary>
/// Exponential backoff with full jitter: before retry <c>n</c> wait a uniformly random time in
/// <c>[0, min(MaxDelay, BaseDelay · 2^(n-1)))</c>. Source: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
/// </summary>
public sealed record RetryPolicy
{
    public static readonly RetryPolicy Default = new();

    /// <summary>Attempts in all, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt may take before it counts as a (retryable) timeout.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A uniform sample in [0, 1); replaceable so tests can pin the jitter.</summary>
    public Func<double> Sample { get; init; } = Random.Shared.NextDouble;

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the wait after the first attempt).</summary>
    public TimeSpan DelayBefore(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var ceiling = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        return TimeSpan.FromMilliseconds(Sample() * Math.Min(MaxDelay.TotalMilliseconds, ceiling));
    }
}
