namespace Keyless.Cli.Infrastructure;

/// <summary>The one HttpClient of the process; per-request timeouts are set by the callers (5 s for JWKS, like AWS).</summary>
public static class Http
{
    public static readonly HttpClient Shared = new();
}
