using System.Collections.Concurrent;
using System.Net;
using System.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>One answer of the fake: an HTTP status and a body.</summary>
internal sealed record FakeAnswer(int Status, string Body)
{
    /// <summary>AWS's Query-protocol error document.</summary>
    public static FakeAnswer Error(int status, string code, string message, string type = "Sender") => new(
        status,
        $"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>{type}</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error><RequestId>{Guid.NewGuid()}</RequestId></ErrorResponse>");

    public static FakeAnswer Throttling => Error(400, "Throttling", "Rate exceeded");
}

/// <summary>What one request to the fake carried.</summary>
internal sealed record FakeStsCall(int Number, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A tiny STS on a free loopback port: answers AssumeRoleWithWebIdentity from a script of answers (success
/// once the script is used up) and records each request's parameters.
/// </summary>
internal sealed class FakeSts : IAsyncDisposable
{
    public const string AccessKeyId = "ASIA-FAKE-STS-KEY-01";
    public const string AssumedRoleArn = "arn:aws:sts::111122223333:assumed-role/deploy/";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeAnswer> _script = new();
    private readonly ConcurrentQueue<FakeStsCall> _calls = new();
    private int _count;

    private FakeSts(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public string SecretAccessKey { get; } = "fakeSecret/" + Guid.NewGuid().ToString("N");

    public string SessionToken { get; } = "FakeSessionToken" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    public DateTimeOffset Expiration { get; } = DateTimeOffset.FromUnixTimeSeconds(1_893_456_900);

    public IReadOnlyList<FakeStsCall> Calls => [.. _calls];

    /// <summary>Runs before each answer; the test can change the world between attempts.</summary>
    public Action<FakeStsCall>? BeforeAnswer { get; set; }

    public static async Task<FakeSts> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Keyless.FakeSts" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var sts = new FakeSts(app);
        app.Run(sts.Serve);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        sts.Url = $"http://127.0.0.1:{new Uri(address).Port}/";
        return sts;
    }

    public void Enqueue(params FakeAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task Serve(HttpContext context)
    {
        var form = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal)
            : [];
        var call = new FakeStsCall(Interlocked.Increment(ref _count), form);
        _calls.Enqueue(call);
        BeforeAnswer?.Invoke(call);

        var answer = form.GetValueOrDefault("Action") != "AssumeRoleWithWebIdentity"
            ? FakeAnswer.Error(400, "InvalidAction", "The fake STS only knows AssumeRoleWithWebIdentity")
            : _script.TryDequeue(out var scripted) ? scripted : Success(form.GetValueOrDefault("RoleSessionName") ?? "");

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(answer.Body);
    }

    private FakeAnswer Success(string sessionName) => new(200, $"""
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <Credentials>
              <AccessKeyId>{AccessKeyId}</AccessKeyId>
              <SecretAccessKey>{SecretAccessKey}</SecretAccessKey>
              <SessionToken>{SessionToken}</SessionToken>
              <Expiration>{Expiration.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}</Expiration>
            </Credentials>
            <AssumedRoleUser>
              <Arn>{AssumedRoleArn}{sessionName}</Arn>
              <AssumedRoleId>AROAFAKESTSEXAMPLE01:{sessionName}</AssumedRoleId>
            </AssumedRoleUser>
            <Provider>gitlab.com</Provider>
            <Audience>https://gitlab.com</Audience>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata><RequestId>{Guid.NewGuid()}</RequestId></ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """);
}
