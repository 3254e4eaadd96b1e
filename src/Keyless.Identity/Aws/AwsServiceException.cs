using System.Globalization;
using System.Xml.Linq;

namespace Keyless.Identity.Aws;

/// <summary>An error an AWS service answered with: its code, message and HTTP status.</summary>
public sealed class AwsServiceException(string code, string message, int status)
    : Exception($"{code}: {message}")
{
    public string Code { get; } = code;

    public string AwsMessage { get; } = message;

    public int Status { get; } = status;

    /// <summary>
    /// The error in an XML answer (the Query APIs' <c>ErrorResponse</c> and the REST APIs' <c>Error</c> both hold
    /// an <c>Error</c> element with <c>Code</c> and <c>Message</c>); a body that is not XML is
    /// <c>ServiceUnavailable</c> for a 5xx, else <c>InvalidResponse</c>.
    /// </summary>
    public static AwsServiceException FromXml(string body, int status, Func<string, string>? redact = null)
    {
        try
        {
            var error = XElement.Parse(body).DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "Error");
            var message = AwsXml.Child(error, "Message") ?? string.Create(CultureInfo.InvariantCulture, $"HTTP {status}");
            return new AwsServiceException(AwsXml.Child(error, "Code") ?? "Unknown", redact?.Invoke(message) ?? message, status);
        }
        catch (System.Xml.XmlException)
        {
            return new AwsServiceException(status >= 500 ? "ServiceUnavailable" : "InvalidResponse", string.Create(CultureInfo.InvariantCulture, $"HTTP {status} with a body that is not XML"), status);
        }
    }
}

/// <summary>Reading AWS's XML answers by local name, whatever namespace the service uses.</summary>
public static class AwsXml
{
    public static string? Child(XElement? element, string name) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

    public static IEnumerable<XElement> Descendants(XElement element, string name) =>
        element.Descendants().Where(e => e.Name.LocalName == name);
}
