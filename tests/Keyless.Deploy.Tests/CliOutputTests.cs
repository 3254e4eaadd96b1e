using System.Text.Json;
using Keyless.Deploy.Tests.Support;
using Keyless.Testing;

namespace Keyless.Deploy.Tests;

/// <summary>Against moto, through the command line: what a CI job gets out of a deploy.</summary>
public sealed class CliOutputTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Fact]
    public async Task Should_WriteCollapsibleSectionsAndTheDotenv_When_RunningInGitLab()
    {
        // Given a GitLab job's environment and a keyless.json environment with a URL
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        using var work = SiteFolder.Empty();
        var config = Path.Combine(work.Path, "keyless.json");
        File.WriteAllText(config, $$"""
            {"gitlab": {"project": "acme/www", "projectId": "42"}, "aws": {"account": "111122223333", "region": "us-east-1"},
             "environments": {"staging": {"refs": ["branch:main"], "bucket": "{{bucket}}", "url": "https://staging.example.com"} } }
            """);
        var environment = moto.Environment();
        environment["GITLAB_CI"] = "true";
        environment["CI_COMMIT_SHA"] = "0123456789abcdef0123456789abcdef01234567";
        var dotenv = Path.Combine(work.Path, "deploy.env");

        // When the job deploys
        var result = await KeylessCli.RunAsync(environment, null, "deploy", "--site", site.Path, "--env", "staging", "--config", config, "--dotenv", dotenv);

        // Then the log has collapsed sections, a summary line, and the dotenv names the URL and release
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"\u001b\[0Ksection_start:\d+:keyless_plan\[collapsed=true\]\r\u001b\[0KPlan for release 0123456789abcdef", result.Output);
        // (the first deploy's assets go up ahead of the plan, in a section of their own)
        Assert.Matches(@"(?s)section_start:\d+:keyless_stage_ahead\[collapsed=true\]\r\u001b\[0KUploading 2 assets and entry-point copies ahead of the plan.*section_end:\d+:keyless_stage_ahead\r.*section_start:\d+:keyless_plan\[", result.Output);
        Assert.Matches(@"\u001b\[0Ksection_end:\d+:keyless_pages\r\u001b\[0K", result.Output);
        Assert.Contains("Deployed release 0123456789abcdef0123456789abcdef01234567 to s3://" + bucket + "/: 6 uploaded", result.Output, StringComparison.Ordinal);
        Assert.Equal(
            ["KEYLESS_RELEASE=0123456789abcdef0123456789abcdef01234567", "KEYLESS_ENVIRONMENT_URL=https://staging.example.com"],
            File.ReadAllLines(dotenv));
        Assert.DoesNotContain(MotoFixture.SecretKey, result.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_CheckThePublishedBytes_When_VerifyUrlIsGiven()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        using var work = SiteFolder.Empty();
        // moto answers anonymous GETs with 403, as S3 would for a private bucket: a presigned URL stands in for the public one.
        var pageUrl = moto.S3.GetPreSignedURL(new Amazon.S3.Model.GetPreSignedUrlRequest { BucketName = bucket, Key = "index.html", Expires = DateTime.UtcNow.AddHours(1), Protocol = Amazon.S3.Protocol.HTTP });

        var result = await KeylessCli.RunAsync(moto.Environment(), null, "deploy", "--site", site.Path, "--bucket", bucket, "--release", "r1", "--format", "json", "--verify-url", pageUrl, "--dotenv", Path.Combine(work.Path, "d.env"));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("index.html", json.RootElement.GetProperty("verified").GetProperty("path").GetString());
        Assert.Equal(["KEYLESS_RELEASE=r1"], File.ReadAllLines(Path.Combine(work.Path, "d.env")));
    }

    [Fact]
    public async Task Should_ReportAlreadyLive_When_NothingChanged()
    {
        var bucket = await moto.NewBucketAsync();
        using var site = SiteFolder.Typical();
        using var work = SiteFolder.Empty();
        string[] deploy = ["deploy", "--site", site.Path, "--bucket", bucket, "--release", "r1", "--dotenv", Path.Combine(work.Path, "d.env")];
        await KeylessCli.RunAsync(moto.Environment(), null, deploy);

        var again = await KeylessCli.RunAsync(moto.Environment(), null, deploy);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Release r1 is already live", again.Output, StringComparison.Ordinal);
    }
}
