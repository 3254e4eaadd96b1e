using System.Net;
using Amazon.Runtime;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Tests;

/// <summary>
/// What a PUT looks like on the wire: over TLS the payload goes unsigned (Content-MD5 makes S3 check it), over
/// plain HTTP the SDK signs it. The requests are caught before they leave the process.
/// </summary>
public sealed class PayloadSigningTests : IDisposable
{
    private const string Content = "body { color: #123; }";
    private const string Md5 = "2410185ece56db068df5f8f0d5c662a4";

    private readonly string _file = Path.Combine(Path.GetTempPath(), "keyless-payload-" + Guid.NewGuid().ToString("N"));

    public PayloadSigningTests() => File.WriteAllText(_file, Content);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Should_SendAnUnsignedPayloadWithContentMd5_When_TheEndpointIsHttps()
    {
        var sent = await PutAsync("https://s3.example.test");

        Assert.Equal("UNSIGNED-PAYLOAD", sent.Header("x-amz-content-sha256"));
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(Md5)), sent.Header("Content-MD5"));
        Assert.Equal(Content, sent.Body);
    }

    [Fact]
    public async Task Should_SignThePayload_When_TheEndpointIsPlainHttp()
    {
        var sent = await PutAsync("http://127.0.0.1:9");

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Content))), sent.Header("x-amz-content-sha256"));
        Assert.Equal(Convert.ToBase64String(Convert.FromHexString(Md5)), sent.Header("Content-MD5"));
    }

    private async Task<SentRequest> PutAsync(string endpoint)
    {
        var catcher = new CatchingFactory();
        using var s3 = S3ClientFactory.Create(new BasicAWSCredentials("AKIDEXAMPLE", "not-a-secret"), new S3ClientSettings { Endpoint = new Uri(endpoint), HttpClients = catcher, MaxErrorRetry = 0 });
        var store = new S3ObjectStore(s3, "bucket", new StoreContext(endpoint, "test", text => text));

        await store.PutAsync(new PutRequest("assets/app.css", new FileBody(_file, Content.Length), new ObjectHeaders("text/css; charset=utf-8", "no-cache"), Md5), CancellationToken.None);

        return Assert.Single(catcher.Sent);
    }

    private sealed record SentRequest(IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
    }

    private sealed class CatchingFactory : HttpClientFactory
    {
        public List<SentRequest> Sent { get; } = [];

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new CatchingHandler(Sent));
    }

    /// <summary>Answers every request as S3 answers a PUT, after keeping its headers and body.</summary>
    private sealed class CatchingHandler(List<SentRequest> sent) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (sent)
            {
                sent.Add(new SentRequest(headers, body));
            }

            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue($"\"{Md5}\"");
            return response;
        }
    }
}
