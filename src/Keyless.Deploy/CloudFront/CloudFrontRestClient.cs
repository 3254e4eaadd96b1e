using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;
using Keyless.Core;
using Keyless.Deploy.Aws;
using Keyless.Identity.Aws;

using RetryPolicy = Keyless.Identity.Exchange.RetryPolicy;

namespace Keyless.Deploy.CloudFront;

/// <summary>An invalidation as CloudFront reports it.</summary>
public sealed record Invalidation(string Id, string Status, IReadOnlyList<string> Paths)
{
    /// <summary>AWS says "Completed", moto "COMPLETED".</summary>
    public bool IsCompleted => string.Equals(Status, "Completed", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What keyless asks of a CDN: invalidate paths, and tell how an invalidation is doing.</summary>
public interface ICdnInvalidator
{
    Task<Invalidation> CreateInvalidationAsync(string distributionId, IReadOnlyList<string> paths, string callerReference, CancellationToken cancellationToken);

    Task<Invalidation> GetInvalidationAsync(string distributionId, string invalidationId, CancellationToken cancellationToken);
}

/// <summary>
/// A minimal CloudFront client over its REST/XML API (2020-05-31) — a stand-in, because the AWS SDK's
/// CloudFront package (AWSSDK.CloudFront) is not served here. It does CreateInvalidation and GetInvalidation,
/// nothing else, signed by <see cref="AwsRequestSigner"/> (service <c>cloudfront</c>, region us-east-1, like
/// every CloudFront request); throttling, 5xx and network failures are retried with the exchange's backoff (<see cref="RetryPolicy"/>).
/// </summary>
public sealed class CloudFrontRestClient(HttpClient http, Uri endpoint, AWSCredentials credentials, Func<string, string>? redact = null) : ICdnInvalidator
{
    public const string ApiVersion = "2020-05-31";
    public const string SigningRegion = "us-east-1";

    public static readonly Uri AwsEndpoint = new("https://cloudfront.amazonaws.com");

    private static readonly XNamespace Ns = $"http://cloudfront.amazonaws.com/doc/{ApiVersion}/";
    private static readonly RetryPolicy Retry = RetryPolicy.Default with { MaxAttempts = 4 };

    public Uri Endpoint => endpoint;

    /// <summary>The CloudFront endpoint the environment names: <c>AWS_ENDPOINT_URL_CLOUDFRONT</c>, else <c>AWS_ENDPOINT_URL</c>, else AWS's.</summary>
    public static Uri EndpointFrom(IEnvironment environment) =>
        ServiceEndpoint.From(environment, "AWS_ENDPOINT_URL_CLOUDFRONT", $"unset it to use CloudFront at {AwsEndpoint}") ?? AwsEndpoint;

    public async Task<Invalidation> CreateInvalidationAsync(string distributionId, IReadOnlyList<string> paths, string callerReference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var batch = new XElement(Ns + "InvalidationBatch",
            new XElement(Ns + "Paths",
                new XElement(Ns + "Quantity", paths.Count.ToString(CultureInfo.InvariantCulture)),
                new XElement(Ns + "Items", paths.Select(p => new XElement(Ns + "Path", p)))),
            new XElement(Ns + "CallerReference", callerReference));
        var xml = await SendAsync(HttpMethod.Post, $"/{ApiVersion}/distribution/{Uri.EscapeDataString(distributionId)}/invalidation", batch, cancellationToken);
        return Parse(xml);
    }

    public async Task<Invalidation> GetInvalidationAsync(string distributionId, string invalidationId, CancellationToken cancellationToken)
    {
        var xml = await SendAsync(HttpMethod.Get, $"/{ApiVersion}/distribution/{Uri.EscapeDataString(distributionId)}/invalidation/{Uri.EscapeDataString(invalidationId)}", null, cancellationToken);
        return Parse(xml);
    }

    /// <summary>One signed request with retries; the answer's XML root. Internal so tests can call other operations (CreateDistribution).</summary>
    internal async Task<XElement> SendAsync(HttpMethod method, string path, XElement? body, CancellationToken cancellationToken)
    {
        var content = body is null ? null : Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body.ToString(SaveOptions.DisableFormatting));
        for (var attempt = 0; ; attempt++)
        {
            var retryable = attempt + 1 < Retry.MaxAttempts;
            try
            {
                using var request = await SignedAsync(method, path, content);
                using var response = await http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return XElement.Parse(text);
                }

                var error = AwsServiceException.FromXml(text, (int)response.StatusCode, redact);
                if (!retryable || !(error.Status >= 500 || error.Code is "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "ServiceUnavailable"))
                {
                    throw error;
                }
            }
            catch (HttpRequestException e) when (retryable)
            {
                _ = e; // a connection failure: try again
            }
            catch (TaskCanceledException) when (retryable && !cancellationToken.IsCancellationRequested)
            {
                // timed out: try again
            }
            catch (HttpRequestException e)
            {
                throw new KeylessException(FailureKind.Failed, Redact($"CloudFront at {endpoint} did not answer {method} {path}: {e.Message}. Check the network, then run the command again."));
            }

            await Task.Delay(Retry.DelayBefore(attempt + 1), cancellationToken);
        }
    }

    private async Task<HttpRequestMessage> SignedAsync(HttpMethod method, string path, byte[]? content)
    {
        var keys = await credentials.GetCredentialsAsync();
        return AwsRequestSigner.Sign(new AwsRequest(method, endpoint, path, "cloudfront", SigningRegion, content, "text/xml"), keys);
    }

    private static Invalidation Parse(XElement xml)
    {
        var invalidation = xml.Name.LocalName == "Invalidation" ? xml : xml.Descendants().First(e => e.Name.LocalName == "Invalidation");
        return new Invalidation(
            AwsXml.Child(invalidation, "Id") ?? "",
            AwsXml.Child(invalidation, "Status") ?? "",
            [.. invalidation.Descendants().Where(e => e.Name.LocalName == "Path").Select(e => e.Value)]);
    }

    private string Redact(string text) => redact?.Invoke(text) ?? text;
}
