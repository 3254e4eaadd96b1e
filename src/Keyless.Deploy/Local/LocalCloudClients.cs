using Amazon.Runtime;
using Amazon.S3;
using Keyless.Identity.Aws;

namespace Keyless.Deploy.Local;

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
        using var http = new HttpClient();
        using var s3 = S3(endpoint);
        return await new LocalApply(new IamQueryClient(http, endpoint, Setup), s3).ApplyAsync(source, templateJson, issuerUrl, cancellationToken);
    }
}
