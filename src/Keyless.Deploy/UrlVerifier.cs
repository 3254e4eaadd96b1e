using System.Globalization;
using System.Security.Cryptography;
using Keyless.Core;
using Keyless.Deploy.Publishing;

namespace Keyless.Deploy;

/// <summary>The public URL served the release's bytes (compared by MD5) after <see cref="Attempts"/> requests.</summary>
public sealed record UrlCheck(Uri Url, string Path, string Md5, int Attempts);

/// <summary>How long <see cref="UrlVerifier"/> keeps trying: CloudFront needs a moment after an invalidation.</summary>
/// <remarks>
/// A poll for propagation, not a retry of a failed call, so not <c>RetryPolicy</c>: the delays double without jitter,
/// so the longest wait is known (jitter spreads many clients retrying one service; here one deploy waits for its page).
/// </remarks>
public sealed record VerifyPolicy(int Attempts, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static VerifyPolicy Default { get; } = new(8, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
}

/// <summary>
/// After publishing: fetches the page at a URL and checks it is this release's, by the MD5 of the bytes
/// against the release's file for that path (<c>/</c> and folders mean their <c>index.html</c>; a URL with a
/// longer path, such as a bucket's path-style URL, matches the file its path ends with).
/// </summary>
public static class UrlVerifier
{
    public static async Task<UrlCheck> VerifyAsync(HttpClient http, Uri url, IReadOnlyList<ReleaseFile> files, string release, TimeProvider time, VerifyPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(policy);
        var file = FileFor(url, files)
            ?? throw KeylessException.Input($"--verify-url {url}: release {release} has no file for that path (nor an index.html); name a page of the site, such as its root URL.");
        var delay = policy.FirstDelay;
        var last = "";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
#pragma warning disable CA5351 // MD5 compares with the release record, as S3's ETag does; not security.
                    var md5 = Convert.ToHexStringLower(await MD5.HashDataAsync(body, cancellationToken));
#pragma warning restore CA5351
                    if (md5 == file.Md5)
                    {
                        return new UrlCheck(url, file.Path, md5, attempt);
                    }

                    last = $"it serves bytes with MD5 {md5}, but {file.Path} of release {release} has MD5 {file.Md5}";
                }
                else
                {
                    last = string.Create(CultureInfo.InvariantCulture, $"it answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                }
            }
            catch (HttpRequestException e)
            {
                last = $"it could not be fetched ({e.Message})";
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                last = "the request timed out";
            }

            if (attempt >= policy.Attempts)
            {
                throw new KeylessException(FailureKind.Failed,
                    string.Create(CultureInfo.InvariantCulture, $"--verify-url {url}: after {attempt} attempts {last}. Release {release} is published in the bucket; check that the URL is served from it (the distribution's origin and origin path), that its cache policy's MinTTL is 0 so no-cache is honoured, and the invalidation (--wait)."));
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, policy.MaxDelay.Ticks));
        }
    }

    internal static ReleaseFile? FileFor(Uri url, IReadOnlyList<ReleaseFile> files)
    {
        var path = Uri.UnescapeDataString(url.AbsolutePath).TrimStart('/');
        if (path.Length == 0 || path.EndsWith('/'))
        {
            path += "index.html";
        }

        return files.FirstOrDefault(f => f.Path == path)
            ?? files.Where(f => path.EndsWith("/" + f.Path, StringComparison.Ordinal)).MaxBy(f => f.Path.Length)
            ?? files.FirstOrDefault(f => f.Path == path + "/index.html");
    }
}
