using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Keyless.Core.Configuration;
using Microsoft.AspNetCore.Http;

namespace Keyless.Local.Cloud;

/// <summary>
/// The local cloud's CloudFront stand-in: serves one bucket on 127.0.0.1 the way the CDK distribution does —
/// the default root object and folder index pages (<see cref="SiteDelivery.RewriteFolderUri"/>), missing
/// keys answered with <c>/404.html</c> and status 404, the objects' own Content-Type, Cache-Control and ETag
/// passed through, and the security headers of the response headers policy. GET and HEAD only.
/// </summary>
public sealed class LocalCdn : IAsyncDisposable
{
    public const string InstancePath = "/.keyless/instance";

    private readonly LoopbackWebServer _server;

    private LocalCdn(LoopbackWebServer server, string instance)
    {
        _server = server;
        InstanceId = instance;
    }

    public string Url => _server.Url;

    public string InstanceId { get; }

    public static async Task<LocalCdn> StartAsync(IAmazonS3 s3, string bucket, string prefix = "", int port = 0, CancellationToken cancellationToken = default)
    {
        var instance = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var server = await LoopbackWebServer.StartAsync("Keyless.LocalCdn", port, context => ServeAsync(context, s3, bucket, prefix, instance), cancellationToken);
        return new LocalCdn(server, instance);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static async Task ServeAsync(HttpContext context, IAmazonS3 s3, string bucket, string prefix, string instance)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.Path == InstancePath)
        {
            await response.WriteAsJsonAsync(new { instance }, context.RequestAborted);
            return;
        }

        foreach (var (name, value) in SiteDelivery.SecurityHeaders)
        {
            response.Headers[name] = value;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var path = Uri.UnescapeDataString(request.Path.Value ?? "/");
        if (SiteDelivery.IsPrivate(path))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var uri = SiteDelivery.RewriteFolderUri(path);
        using var found = await GetAsync(s3, bucket, prefix + uri.TrimStart('/'), context.RequestAborted);
        if (found is not null)
        {
            await WriteAsync(context, found, StatusCodes.Status200OK);
            return;
        }

        // Without s3:ListBucket a missing key is a 403 at the origin; both become the 404 page.
        using var notFound = await GetAsync(s3, bucket, prefix + SiteDelivery.NotFoundPage.TrimStart('/'), context.RequestAborted);
        if (notFound is not null)
        {
            await WriteAsync(context, notFound, StatusCodes.Status404NotFound);
        }
        else
        {
            response.StatusCode = StatusCodes.Status404NotFound;
        }
    }

    private static async Task<GetObjectResponse?> GetAsync(IAmazonS3 s3, string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, GetObjectResponse found, int status)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = found.Headers.ContentType;
        response.ContentLength = found.ContentLength;
        if (found.Headers.CacheControl is { Length: > 0 } cacheControl)
        {
            response.Headers.CacheControl = cacheControl;
        }

        response.Headers.ETag = found.ETag;
        response.Headers.LastModified = found.LastModified?.ToUniversalTime().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await found.ResponseStream.CopyToAsync(response.Body, context.RequestAborted);
        }
    }
}
