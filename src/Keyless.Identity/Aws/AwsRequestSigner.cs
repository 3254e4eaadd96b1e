using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecurityToken;

namespace Keyless.Identity.Aws;

/// <summary>An HTTP request to an AWS service, before it is signed.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Endpoint">The service's endpoint; only its scheme, host and port are used.</param>
/// <param name="Path">The request path: segments of unreserved characters only (AWS's IDs and API paths are), so
/// that what is signed and what is sent cannot differ in escaping.</param>
/// <param name="Service">The signing name of the service (<c>iam</c>, <c>sts</c>, <c>cloudfront</c>).</param>
/// <param name="Region">The signing region.</param>
/// <param name="Content">The body, if any.</param>
/// <param name="ContentType">The body's media type.</param>
public sealed record AwsRequest(HttpMethod Method, Uri Endpoint, string Path, string Service, string Region, byte[]? Content = null, string? ContentType = null);

/// <summary>
/// The one place keyless signs an AWS request by hand (SigV4, with AWSSDK.Core's signer), for the services whose
/// SDK packages are not served here: IAM and CloudFront, and the local STS's calls to moto.
/// </summary>
public static class AwsRequestSigner
{
    public static HttpRequestMessage Sign(AwsRequest request, ImmutableCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!request.Path.StartsWith('/') || !request.Path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~'))
        {
            throw new ArgumentException($"The path {request.Path} needs escaping; keyless signs only paths of unreserved characters.", nameof(request));
        }

        var authority = new Uri(request.Endpoint.GetLeftPart(UriPartial.Authority));
        var sdkRequest = new DefaultRequest(new EmptyRequest(), request.Service)
        {
            HttpMethod = request.Method.Method,
            Endpoint = authority,
            ResourcePath = request.Path,
            AuthenticationRegion = request.Region,
        };
        if (request.Content is not null)
        {
            sdkRequest.Content = request.Content;
            sdkRequest.Headers["Content-Type"] = request.ContentType ?? "application/octet-stream";
        }

        if (!string.IsNullOrEmpty(credentials.Token))
        {
            // Signed along with the rest: every service accepts the session token as a signed header.
            sdkRequest.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        // The signer takes its service name and region from a client config; any service's config will do.
        var config = new AmazonSecurityTokenServiceConfig { ServiceURL = authority.ToString(), AuthenticationRegion = request.Region, AuthenticationServiceName = request.Service };
        var signature = new AWS4Signer().SignRequest(sdkRequest, config, null, credentials.AccessKey, credentials.SecretKey);
        sdkRequest.Headers["Authorization"] = signature.ForAuthorizationHeader;

        var message = new HttpRequestMessage(request.Method, new Uri(authority, request.Path));
        if (request.Content is not null)
        {
            message.Content = new ByteArrayContent(request.Content);
        }

        foreach (var (name, value) in sdkRequest.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private sealed class EmptyRequest : AmazonWebServiceRequest;
}
