using Keyless.Identity;

namespace Keyless.Cli.Infrastructure;

/// <summary>The clock a command runs on: <c>--now UNIX_SECONDS</c> when given, else the system's.</summary>
public static class Clock
{
    public static TimeProvider From(long? now) => now is { } seconds ? FixedTimeProvider.AtUnixSeconds(seconds) : TimeProvider.System;
}
