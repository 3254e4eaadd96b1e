using System.Globalization;

namespace Keyless.Identity.Exchange;

/// <summary>What a message may say about a token: its iss, sub, aud and exp. Never the token itself.</summary>
public static class TokenSummary
{
    public static string Describe(JobToken token, IdToken? decoded, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (decoded is null)
        {
            return $"The token (from {token.Origin}) could not be decoded.";
        }

        var claims = decoded.Claims;
        var aud = claims.Values("aud") is { Count: > 0 } values ? string.Join(", ", values.Select(Quote)) : "(none)";
        return $"The token (from {token.Origin}): iss {Quote(claims.Single("iss"))}, sub {Quote(claims.Single("sub"))}, aud {aud}, exp {Expiry(claims.Seconds("exp"), now)}.";
    }

    public static string Expiry(long? exp, DateTimeOffset now)
    {
        if (exp is not { } seconds)
        {
            return "(none)";
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var left = at - now;
        var relative = left >= TimeSpan.Zero ? $"in {Minutes(left)}" : $"{Minutes(-left)} ago";
        return string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({relative})");
    }

    internal static string Quote(string? value) => value is null ? "(none)" : $"\"{value}\"";

    private static string Minutes(TimeSpan span) =>
        span < TimeSpan.FromMinutes(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min");
}
