using System.Diagnostics.CodeAnalysis;

namespace Keyless.Core;

/// <summary>The one test for a URL Keyless sends a request to or hands on as an endpoint: absolute, http or https.</summary>
public static class HttpUrl
{
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Uri? uri)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp))
        {
            uri = parsed;
            return true;
        }

        uri = null;
        return false;
    }

    public static bool Is([NotNullWhen(true)] string? text) => TryParse(text, out _);
}
