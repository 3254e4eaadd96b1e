using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;

namespace Keyless.Identity.Aws;

/// <summary>An error an AWS Query API answered with: its code, message and HTTP status.</summary>
public sealed class AwsQueryException(string code, string message, int status)
    : Exception($"{code}: {message}")
{
    public string Code { get; } = code;

    public string AwsMessage { get; } = message;

    public int Status { get; } = status;
}

/// <summary>
/// One signed call of an AWS Query API (form-encoded POST, XML answer), signed with AWSSDK.Core's
/// SigV4 signer. Used where the SDK package for a service is not available here (IAM).
/// </summary>
internal static class QueryApiCall
{
    public static async Task<XElement> SendAsync(
        HttpClient http, Uri endpoint, string service, string region, ImmutableCredentials credentials,
        IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        using var message = Signed(endpoint, service, region, credentials, parameters);
        using var response = await http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        XElement xml;
        try
        {
            xml = XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new AwsQueryException("InvalidResponse", $"{service} at {endpoint} answered HTTP {(int)response.StatusCode} with a body that is not XML", (int)response.StatusCode);
        }

        if (!response.IsSuccessStatusCode || xml.Name.LocalName == "ErrorResponse")
        {
            var error = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            throw new AwsQueryException(
                Child(error, "Code") ?? "Unknown",
                Child(error, "Message") ?? $"HTTP {(int)response.StatusCode}",
                (int)response.StatusCode);
        }

        return xml;
    }

    /// <summary>A form-encoded Query API request signed with AWSSDK.Core's SigV4 signer.</summary>
    public static HttpRequestMessage Signed(Uri endpoint, string service, string region, ImmutableCredentials credentials, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var body = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var request = new DefaultRequest(new EmptyRequest(), service)
        {
            HttpMethod = "POST",
            Endpoint = endpoint,
            ResourcePath = "/",
            Content = Encoding.UTF8.GetBytes(body),
            AuthenticationRegion = region,
        };
        request.Headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8";

        // The signer takes its service name and region from a client config; any service's config will do.
        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = region, AuthenticationServiceName = service };
        var signature = new AWS4Signer().SignRequest(request, config, null, credentials.AccessKey, credentials.SecretKey);
        request.Headers["Authorization"] = signature.ForAuthorizationHeader;
        if (!string.IsNullOrEmpty(credentials.Token))
        {
            request.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(request.Content) };
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    public static string? Child(XElement? element, string name) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    public static IEnumerable<XElement> Descendants(XElement element, string name) =>
        element.Descendants().Where(e => e.Name.LocalName == name);

    private sealed class EmptyRequest : AmazonWebServiceRequest;
}
