using System.Net;
using System.Text;
using Keyless.Identity;
using Keyless.Local.Issuer;

namespace Keyless.Testing;

/// <summary>An OIDC provider in memory: discovery and JWKS at GitLab's paths, with counted requests.</summary>
public sealed class FakeIdentityProvider(string issuer = Jwt.Issuer) : HttpMessageHandler
{
    private int _jwksRequests;
    private int _discoveryRequests;
    private int _otherRequests;

    public string Issuer { get; } = issuer;

    public string JwksUrl => Issuer + LocalIssuer.JwksPath;

    /// <summary>The keys published now; tests replace them to rotate.</summary>
    public IssuerKey[] Published { get; set; } = [Keys.Issuer];

    /// <summary>When set, the JWKS request waits this long (or until cancelled).</summary>
    public TimeSpan? JwksDelay { get; set; }

    public HttpStatusCode JwksStatus { get; set; } = HttpStatusCode.OK;

    public string? DiscoveryOverride { get; set; }

    public int JwksRequests => _jwksRequests;

    public int DiscoveryRequests => _discoveryRequests;

    /// <summary>Requests for anything but discovery and JWKS (e.g. a URL an attacker put in the token).</summary>
    public int OtherRequests => _otherRequests;

    public HttpClient Client() => new(this, disposeHandler: false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!.ToString();
        if (url == JwksLocation.DiscoveryUrl(Issuer))
        {
            Interlocked.Increment(ref _discoveryRequests);
            return Json(DiscoveryOverride ?? LocalIssuer.DiscoveryDocument(Issuer));
        }

        if (url == JwksUrl)
        {
            Interlocked.Increment(ref _jwksRequests);
            if (JwksDelay is { } delay)
            {
                await Task.Delay(delay, cancellationToken);
            }

            return JwksStatus == HttpStatusCode.OK ? Json(Jwt.Jwks(Published)) : new HttpResponseMessage(JwksStatus);
        }

        Interlocked.Increment(ref _otherRequests);
        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private static HttpResponseMessage Json(string body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
