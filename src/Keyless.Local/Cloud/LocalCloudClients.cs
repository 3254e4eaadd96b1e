using Amazon.Runtime;
using Amazon.S3;
using Keyless.Core;

namespace Keyless.Local.Cloud;

/// <summary>Clients for the local cloud's moto_server (any credentials do while IAM enforcement is off).</summary>
public static class LocalCloudClients
{
    public static readonly ImmutableCredentials Setup = new("keyless-local-setup", "keyless-local-setup", null);

    public static AmazonS3Client S3(Uri endpoint, AWSCredentials? credentials = null) =>
        new(credentials ?? new BasicAWSCredentials(Setup.AccessKey, Setup.SecretKey), new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        });

    /// <summary>Applies a template to the moto_server at <paramref name="endpoint"/>.</summary>
    public static async Task<LocalApplyResult> ApplyAsync(Uri endpoint, string source, string templateJson, string issuerUrl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var s3 = S3(endpoint);
        try
        {
            return await new LocalApply(new IamQueryClient(http, endpoint, Setup), s3).ApplyAsync(source, templateJson, issuerUrl, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw KeylessException.Input($"No moto_server answers at {endpoint} ({e.Message}). Start one with `moto_server -H 127.0.0.1 -p 5000` (or run `keyless local up`, which starts everything), or point --endpoint (or $AWS_ENDPOINT_URL) at the one that runs.");
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw KeylessException.Input($"The moto_server at {endpoint} did not answer within 30 s ({e.Message}). Check that it is a moto_server and that it runs, or point --endpoint (or $AWS_ENDPOINT_URL) at one that does.");
        }
    }
}
