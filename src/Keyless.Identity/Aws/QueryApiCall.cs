using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Keyless.Identity.Aws;

/// <summary>One signed call of an AWS Query API (form-encoded POST, XML answer), for IAM and the local STS's calls to moto.</summary>
public static class QueryApiCall
{
    public static async Task<XElement> SendAsync(
        HttpClient http, Uri endpoint, string service, string region, ImmutableCredentials credentials,
        IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        using var message = Signed(endpoint, service, region, credentials, parameters);
        using var response = await http.SendAsync(message, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        XElement xml;
        try
        {
            xml = XElement.Parse(text);
        }
        catch (System.Xml.XmlException)
        {
            throw new AwsServiceException(status >= 500 ? "ServiceUnavailable" : "InvalidResponse", $"{service} at {endpoint} answered HTTP {status} with a body that is not XML", status);
        }

        return response.IsSuccessStatusCode && xml.Name.LocalName != "ErrorResponse" ? xml : throw AwsServiceException.FromXml(text, status);
    }

    /// <summary>A form-encoded Query API request, signed.</summary>
    public static HttpRequestMessage Signed(Uri endpoint, string service, string region, ImmutableCredentials credentials, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var body = string.Join("&", parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return AwsRequestSigner.Sign(
            new AwsRequest(HttpMethod.Post, endpoint, "/", service, region, Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded; charset=utf-8"),
            credentials);
    }
}
