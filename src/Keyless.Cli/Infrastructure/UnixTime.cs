using Spectre.Console;

namespace Keyless.Cli.Infrastructure;

/// <summary>The <c>--now</c> option: Unix seconds from 1970 on, up to what a <see cref="DateTimeOffset"/> can hold.</summary>
internal static class UnixTime
{
    public static long Min => 0;

    public static long Max { get; } = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static ValidationResult Validate(long? seconds) =>
        seconds is { } value && (value < Min || value > Max)
            ? ValidationResult.Error($"--now {value}: out of range; expected Unix seconds between {Min} and {Max}, e.g. 1893456000.")
            : ValidationResult.Success();
}
