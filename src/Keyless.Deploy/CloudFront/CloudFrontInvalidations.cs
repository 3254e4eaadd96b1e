using System.Globalization;
using System.Text;
using Keyless.Core;
using Keyless.Identity.Aws;

namespace Keyless.Deploy.CloudFront;

/// <summary>
/// Invalidates exactly the entry points a publication changed (none when nothing changed): fingerprinted
/// assets have new names, so no cache holds them. A page <c>a/index.html</c> is also cached as <c>/a/</c>,
/// so both paths go. Paths are the site's paths: the distribution's origin path is the bucket prefix.
/// </summary>
public static class CloudFrontInvalidations
{
    /// <summary>CloudFront's limit of paths in one invalidation (wildcards aside).</summary>
    public const int MaxPaths = 3000;

    public static IReadOnlyList<string> PathsFor(IEnumerable<string> sitePaths)
    {
        ArgumentNullException.ThrowIfNull(sitePaths);
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in sitePaths)
        {
            paths.Add("/" + Encode(path));
            if (path == "index.html" || path.EndsWith("/index.html", StringComparison.Ordinal))
            {
                paths.Add("/" + Encode(path[..^"index.html".Length]));
            }
        }

        return paths.Count > MaxPaths ? ["/*"] : [.. paths];
    }

    public static async Task<Invalidation> InvalidateAsync(ICdnInvalidator cdn, string distributionId, IReadOnlyList<string> paths, string callerReference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cdn);
        try
        {
            return await cdn.CreateInvalidationAsync(distributionId, paths, callerReference, cancellationToken);
        }
        catch (AwsServiceException e)
        {
            throw Explain(e, "CreateInvalidation", distributionId, paths);
        }
    }

    /// <summary>Polls until CloudFront says Completed (usually well under a minute), at most <paramref name="timeout"/>.</summary>
    public static async Task<Invalidation> WaitAsync(ICdnInvalidator cdn, string distributionId, Invalidation invalidation, TimeProvider time, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cdn);
        ArgumentNullException.ThrowIfNull(invalidation);
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromSeconds(2);
        while (!invalidation.IsCompleted)
        {
            if (time.GetElapsedTime(started) + delay > timeout)
            {
                throw new KeylessException(FailureKind.Failed, string.Create(CultureInfo.InvariantCulture,
                    $"CloudFront invalidation {invalidation.Id} of distribution {distributionId} is still {invalidation.Status} after {timeout.TotalMinutes:F0} minutes. The release is published; the cached pages expire on their own. Check it with aws cloudfront get-invalidation --distribution-id {distributionId} --id {invalidation.Id}."));
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 20));
            try
            {
                invalidation = await cdn.GetInvalidationAsync(distributionId, invalidation.Id, cancellationToken);
            }
            catch (AwsServiceException e)
            {
                throw Explain(e, "GetInvalidation", distributionId, invalidation.Paths);
            }
        }

        return invalidation;
    }

    private static KeylessException Explain(AwsServiceException error, string operation, string distributionId, IReadOnlyList<string> paths)
    {
        var retry = $"The release is published in the bucket; to clear the cache run aws cloudfront create-invalidation --distribution-id {distributionId} --paths {string.Join(' ', paths.Take(20))}{(paths.Count > 20 ? " …" : "")}.";
        return error.Code switch
        {
            "NoSuchDistribution" => new KeylessException(FailureKind.UnusableInput,
                $"CloudFront has no distribution {distributionId} ({operation}: {error.Code}). Correct --distribution or the environment's \"distribution\" in keyless.json. {retry}"),
            "AccessDenied" => new KeylessException(FailureKind.Failed,
                $"CloudFront refused {operation} on distribution {distributionId}: {error.Code}: {error.AwsMessage}. Grant cloudfront:{operation} on arn:aws:cloudfront::ACCOUNT:distribution/{distributionId} to the deploy role. {retry}"),
            "TooManyInvalidationsInProgress" => new KeylessException(FailureKind.Failed,
                $"CloudFront refused {operation} on distribution {distributionId}: too many invalidations are in progress. Wait for them to finish. {retry}"),
            _ => new KeylessException(FailureKind.Failed,
                string.Create(CultureInfo.InvariantCulture, $"CloudFront {operation} on distribution {distributionId} failed: {error.Code} (HTTP {error.Status}): {error.AwsMessage}. {retry}")),
        };
    }

    /// <summary>Percent-encodes everything but unreserved characters and <c>/</c>, as CloudFront expects.</summary>
    private static string Encode(string path)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' or '/')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return builder.ToString();
    }
}
