using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using CsCheck;
using Keyless.Identity.Aws;

namespace Keyless.Identity.Tests.Aws;

/// <summary>
/// keyless's one hand-signed request path against an independent SigV4 implementation: botocore (the AWS CLI's
/// signer) computes the signature of the same request at the same instant, and the Authorization headers must agree.
/// </summary>
public sealed class AwsRequestSignerTests
{
    private static readonly string[] Services = ["iam", "sts", "cloudfront"];
    private static readonly string[] Regions = ["us-east-1", "eu-west-3", "ap-southeast-2"];

    [Fact]
    public async Task Should_Sign_Like_Botocore_When_Requests_Vary()
    {
        // Given requests of every shape keyless sends: Query API POSTs, REST GETs and POSTs, with and without a session token
        var request = Gen.Select(
            Gen.OneOf(Services), Gen.OneOf(Regions), Gen.Bool, Gen.Bool,
            Gen.Char["abcXYZ019 &=/+%é"].Array[0, 40].Select(chars => new string(chars)),
            Gen.OneOf("/", "/2020-05-31/distribution/E2ABC/invalidation", "/2020-05-31/distribution/E2ABC/invalidation/I2J7W0ZL0XGS4Q"))
            .Select((service, region, post, session, body, path) => (
                Request: new AwsRequest(post ? HttpMethod.Post : HttpMethod.Get, new Uri("https://example.amazonaws.com:8443/ignored"), path, service, region,
                    post ? Encoding.UTF8.GetBytes(body) : null, post ? "application/x-www-form-urlencoded; charset=utf-8" : null),
                Credentials: new ImmutableCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", session ? "FwoGZXIvYXdzEXAMPLE/session+token=" : null)));

        await request.Array[30].SampleAsync(async batch =>
        {
            // When both sign them
            var signed = batch.Select(r => (r.Request, r.Credentials, Message: AwsRequestSigner.Sign(r.Request, r.Credentials))).ToList();
            var expected = await BotocoreAuthorizationAsync(signed.Select(s => Describe(s.Request, s.Credentials, s.Message)));

            // Then the signatures are the same
            var differing = signed.Select((s, i) => (s, i)).Where(p => expected[p.i] != Authorization(p.s.Message))
                .Select(p => $"{p.s.Request} body {Encoding.UTF8.GetString(p.s.Request.Content ?? [])} token {p.s.Credentials.UseToken}: keyless {Authorization(p.s.Message)}, botocore {expected[p.i]}");
            Assert.True(!differing.Any(), string.Join("\n", differing));
        }, iter: 3);
    }

    [Fact]
    public void Should_Sign_The_Session_Token_When_The_Credentials_Have_One()
    {
        var message = AwsRequestSigner.Sign(
            new AwsRequest(HttpMethod.Get, new Uri("https://cloudfront.amazonaws.com"), "/2020-05-31/distribution/E1/invalidation/I1", "cloudfront", "us-east-1"),
            new ImmutableCredentials("AKIDEXAMPLE", "secret", "the-session-token"));

        Assert.Equal("the-session-token", message.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Contains("x-amz-security-token", Authorization(message), StringComparison.Ordinal);
        Assert.Equal(new Uri("https://cloudfront.amazonaws.com/2020-05-31/distribution/E1/invalidation/I1"), message.RequestUri);
    }

    [Theory]
    [InlineData("/2020-05-31/distribution/E%2FX/invalidation")]
    [InlineData("/a b")]
    [InlineData("relative")]
    public void Should_Refuse_A_Path_It_Would_Sign_Differently_From_The_Wire_When_It_Needs_Escaping(string path)
    {
        var request = new AwsRequest(HttpMethod.Get, new Uri("https://cloudfront.amazonaws.com"), path, "cloudfront", "us-east-1");

        Assert.Throws<ArgumentException>(() => AwsRequestSigner.Sign(request, new ImmutableCredentials("AKIDEXAMPLE", "secret", null)));
    }

    private static string Authorization(HttpRequestMessage message) => message.Headers.GetValues("Authorization").Single();

    private static Dictionary<string, object?> Describe(AwsRequest request, ImmutableCredentials credentials, HttpRequestMessage message)
    {
        var headers = message.Headers.Concat(message.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value));
        return new()
        {
            ["method"] = request.Method.Method,
            ["url"] = message.RequestUri!.AbsoluteUri,
            ["headers"] = headers,
            ["body"] = Convert.ToBase64String(request.Content ?? []),
            ["service"] = request.Service,
            ["region"] = request.Region,
            ["key"] = credentials.AccessKey,
            ["secret"] = credentials.SecretKey,
            ["token"] = credentials.Token,
        };
    }

    private const string Script = """
        import base64, json, sys
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        out = []
        for r in json.load(sys.stdin):
            request = AWSRequest(method=r["method"], url=r["url"], data=base64.b64decode(r["body"]), headers=r["headers"])
            auth = SigV4Auth(Credentials(r["key"], r["secret"], r["token"]), r["service"], r["region"])
            request.context["timestamp"] = r["headers"]["X-Amz-Date"]
            canonical = auth.canonical_request(request)
            string_to_sign = auth.string_to_sign(request, canonical)
            signature = auth.signature(string_to_sign, request)
            scope = auth.scope(request)
            signed = auth.signed_headers(auth.headers_to_sign(request))
            out.append(f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders={signed}, Signature={signature}")
        json.dump(out, sys.stdout)
        """;

    private static async Task<List<string>> BotocoreAuthorizationAsync(IEnumerable<Dictionary<string, object?>> requests)
    {
        var start = new ProcessStartInfo("python3", ["-c", Script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var python = Process.Start(start)!;
        await python.StandardInput.WriteAsync(JsonSerializer.Serialize(requests));
        python.StandardInput.Close();
        var output = python.StandardOutput.ReadToEndAsync();
        var errors = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();
        Assert.True(python.ExitCode == 0, await errors);
        return JsonSerializer.Deserialize<List<string>>(await output)!;
    }
}
