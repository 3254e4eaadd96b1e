using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Keyless.Local.Sts;

namespace Keyless.Bench;

/// <summary>
/// What the local STS adds to moto's own AssumeRoleWithWebIdentity latency, with a warm JWKS and IAM cache:
/// the same requests, alternately straight to moto and through the local STS, in one run.
/// </summary>
internal static class StsBenchmark
{
    private const int Rounds = 300;

    public static async Task RunAsync()
    {
        await using var cloud = await LocalCloud.StartAsync();
        await using var sts = await LocalSts.StartAsync(new LocalStsOptions(cloud.Moto.Url) { IamCacheTtl = TimeSpan.FromMinutes(10) });
        using var direct = Client(cloud.Moto.Url.ToString());
        using var fronted = Client(sts.Url);
        var token = cloud.Mint();

        for (var i = 0; i < 20; i++)
        {
            await AssumeAsync(direct, cloud.RoleArn, token);
            await AssumeAsync(fronted, cloud.RoleArn, token); // warms JWKS, IAM reads, JIT
        }

        var moto = new List<double>();
        var viaSts = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            moto.Add(await AssumeAsync(direct, cloud.RoleArn, token));
            viaSts.Add(await AssumeAsync(fronted, cloud.RoleArn, token));
        }

        Console.WriteLine($"## Local STS overhead ({Rounds} AssumeRoleWithWebIdentity calls each, alternating)");
        Console.WriteLine("| path | median ms | p90 ms |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(Row("moto directly", moto));
        Console.WriteLine(Row("through the local STS", viaSts));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| added by the local STS (difference of medians) | {Median(viaSts) - Median(moto):F2} | |"));
    }

    private static AmazonSecurityTokenServiceClient Client(string url) =>
        new(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { ServiceURL = url, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private static async Task<double> AssumeAsync(AmazonSecurityTokenServiceClient client, string role, string token)
    {
        var watch = Stopwatch.StartNew();
        await client.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest { RoleArn = role, RoleSessionName = "bench", WebIdentityToken = token, DurationSeconds = 900 });
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string Row(string name, List<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {Median(values):F2} | {values.Order().ElementAt(values.Count * 9 / 10):F2} |");
}
