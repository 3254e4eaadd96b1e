using Keyless.Cli.Tests.Infrastructure;

namespace Keyless.Cli.Tests;

/// <summary>User mistakes exit 2 with one readable message naming what is wrong, never a stack trace.</summary>
public sealed class UnusableInputTests : IDisposable
{
    private const string UnknownOperatorPolicy = """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"},
              "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": {"StringEqualz": {"gitlab.com:sub": "project_path:acme/website:ref_type:branch:ref:main"}}
            }
          ]
        }
        """;

    private static readonly string MainBranchPolicy = Repo.Example("good-main-branch.json");
    private static readonly string MainClaims = Repo.Claims("main.json");

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Should_ExitTwoNamingTheFile_When_PolicyFileIsMissing()
    {
        var missing = Path.Combine(_temp.Path, "no-such-policy.json");

        var result = await TrustRuns.SimulateOnGitLabAsync(missing, MainClaims);

        CliAssert.UnusableInput(result);
        Assert.Contains(missing, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheFile_When_ClaimsFileIsMissing()
    {
        var missing = Path.Combine(_temp.Path, "no-such-claims.json");

        var result = await TrustRuns.SimulateOnGitLabAsync(MainBranchPolicy, missing);

        CliAssert.UnusableInput(result);
        Assert.Contains(missing, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingFileAndLine_When_PolicyIsMalformedJson()
    {
        var policy = _temp.Write("malformed.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\",,}\n  ]\n}\n");

        var result = await TrustRuns.SimulateOnGitLabAsync(policy, MainClaims);

        CliAssert.UnusableInput(result);
        Assert.Contains(policy, result.Errors, StringComparison.Ordinal);
        Assert.Contains("line 4", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"project_path:acme/website\"")]
    [InlineData("42")]
    public async Task Should_ExitTwo_When_ClaimsAreNotAnObject(string claimsJson)
    {
        var claims = _temp.Write("claims.json", claimsJson);

        var result = await TrustRuns.SimulateOnGitLabAsync(MainBranchPolicy, claims);

        CliAssert.UnusableInput(result);
        Assert.Contains(claims, result.Errors, StringComparison.Ordinal);
        Assert.Contains("object", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheJsonPath_When_PolicyUsesAnUnknownOperator()
    {
        var policy = _temp.Write("unknown-operator.json", UnknownOperatorPolicy);

        var result = await TrustRuns.SimulateOnGitLabAsync(policy, MainClaims);

        CliAssert.UnusableInput(result);
        Assert.Contains("$.Statement[0].Condition.StringEqualz", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheJsonPath_When_CheckedPolicyUsesAnUnknownOperator()
    {
        var policy = _temp.Write("unknown-operator.json", UnknownOperatorPolicy);

        var result = await KeylessCli.RunAsync("trust", "check", policy);

        CliAssert.UnusableInput(result);
        Assert.Contains("$.Statement[0].Condition.StringEqualz", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheOption_When_PolicyOptionIsMissing()
    {
        var result = await KeylessCli.RunAsync(
            "trust", "simulate", "--claims", MainClaims, "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab);

        CliAssert.UnusableInput(result);
        Assert.Contains("--policy", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheOption_When_ClaimsOptionIsMissing()
    {
        var result = await KeylessCli.RunAsync(
            "trust", "simulate", "--policy", MainBranchPolicy, "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab);

        CliAssert.UnusableInput(result);
        Assert.Contains("--claims", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwo_When_ProviderUrlIsGivenWithoutClientId()
    {
        var result = await TrustRuns.SimulateAsync(MainBranchPolicy, MainClaims, "--provider-url", TrustRuns.GitLab);

        CliAssert.UnusableInput(result);
        Assert.Contains("--client-id", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwo_When_ProviderUrlIsNotAnUrl()
    {
        var result = await TrustRuns.SimulateAsync(MainBranchPolicy, MainClaims, "--provider-url", "gitlab.com", "--client-id", TrustRuns.GitLab);

        CliAssert.UnusableInput(result);
        Assert.Contains("--provider-url gitlab.com", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheOption_When_SimulateGetsAnUnknownOption()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(MainBranchPolicy, MainClaims, "--polcy-typo", "x");

        CliAssert.UnusableInput(result);
        Assert.Contains("polcy-typo", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheOption_When_CheckGetsAnUnknownFlag()
    {
        var result = await KeylessCli.RunAsync("trust", "check", MainBranchPolicy, "--strict");

        CliAssert.UnusableInput(result);
        Assert.Contains("strict", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local", "sts")]
    [InlineData("local", "sts", "--upstream", "not a url")]
    [InlineData("local", "sts", "--upstream", "http://127.0.0.1:5000", "--port", "70000")]
    public async Task Should_ExitTwoNamingTheOption_When_LocalStsHasNoUsableUpstreamOrPort(params string[] args)
    {
        var result = await KeylessCli.RunAsync(args);

        CliAssert.UnusableInput(result);
        Assert.Contains(args.Length > 4 ? "--port" : "--upstream", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwo_When_CommandIsUnknown()
    {
        var result = await KeylessCli.RunAsync("trust", "simulat");

        CliAssert.UnusableInput(result);
    }

    [Theory]
    [InlineData("--now", "soon")]
    [InlineData("--now", "99999999999999999")]
    [InlineData("--now", "-99999999999999")]
    [InlineData("--duration-seconds", "99999999999")]
    [InlineData("--format", "xml")]
    [InlineData("--format", "sarif")]
    public async Task Should_ExitTwo_When_SimulateOptionValueIsUnusable(string option, string value)
    {
        var result = await TrustRuns.SimulateAsync(
            MainBranchPolicy, MainClaims, "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab, option, value);

        CliAssert.UnusableInput(result);
    }

    [Theory]
    [InlineData("--now", "99999999999999999")]
    [InlineData("--format", "html")]
    public async Task Should_ExitTwo_When_CheckOptionValueIsUnusable(string option, string value)
    {
        var result = await KeylessCli.RunAsync("trust", "check", MainBranchPolicy, option, value);

        CliAssert.UnusableInput(result);
    }

    [Fact]
    public async Task Should_ExitTwo_When_TemplateHasNoRoles()
    {
        var template = _temp.Write("no-roles.template.json", """{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}""");

        var result = await TrustRuns.SimulateOnGitLabAsync(template, MainClaims);

        CliAssert.UnusableInput(result);
        Assert.Contains(template, result.Errors, StringComparison.Ordinal);
        Assert.Contains("AWS::IAM::Role", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoListingTheRoles_When_RoleOptionNamesAMissingRole()
    {
        var result = await TrustRuns.SimulateAsync(Repo.Example("bad-template-audience.json"), MainClaims, "--role", "ProductionDeployRole", "--now", Repo.Now);

        CliAssert.UnusableInput(result);
        Assert.Contains("ProductionDeployRole", result.Errors, StringComparison.Ordinal);
        Assert.Contains("WebsiteDeployRole", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheRole_When_ExpectationNamesARoleNoInputHas()
    {
        var expectations = _temp.Write("expect.json", """{"roles": {"StagingDeployRole": {"project": "acme/website", "refs": ["branch:main"]}}}""");

        var result = await KeylessCli.RunAsync("trust", "check", MainBranchPolicy, "--expect", expectations, "--now", Repo.Now);

        CliAssert.UnusableInput(result);
        Assert.Contains("StagingDeployRole", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwo_When_CheckPathIsMissing()
    {
        var missing = Path.Combine(_temp.Path, "cdk.out");

        var result = await KeylessCli.RunAsync("trust", "check", missing);

        CliAssert.UnusableInput(result);
        Assert.Contains(missing, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwo_When_CheckGetsNoPath()
    {
        var result = await KeylessCli.RunAsync("trust", "check");

        CliAssert.UnusableInput(result);
    }

    [Fact]
    public async Task Should_ExitTwo_When_CheckFolderHoldsNoJson()
    {
        var result = await KeylessCli.RunAsync("trust", "check", _temp.Path);

        CliAssert.UnusableInput(result);
    }

    [Theory]
    [InlineData("--now", "yesterday", "--now yesterday: expected UNIX_SECONDS, a whole number.")]
    [InlineData("--duration-seconds", "abc", "--duration-seconds abc: expected N, a whole number.")]
    [InlineData("--format", "xml", "--format xml: expected text or json.")]
    [InlineData("--account", "abc", "--account abc: expected a 12-digit AWS account ID")]
    public async Task Should_NameTheOptionTheValueAndWhatIsExpected_When_ASimulateValueIsWrong(string option, string value, string message)
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(MainBranchPolicy, MainClaims, option, value);

        CliAssert.UnusableInput(result);
        Assert.Contains(message, result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Int32", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format")]
    [InlineData("--policy")]
    public async Task Should_SayTheOptionNeedsAValue_When_ItIsGivenWithoutOne(string option)
    {
        var result = await KeylessCli.RunAsync("trust", "simulate", "--policy", MainBranchPolicy, "--claims", MainClaims, option);

        CliAssert.UnusableInput(result);
        Assert.Contains($"{option} needs a value", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("__default_command", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_SayAFolderIsNoFile_When_AFolderIsGivenForAFile()
    {
        var result = await TrustRuns.SimulateOnGitLabAsync(_temp.Path, MainClaims);

        CliAssert.UnusableInput(result);
        Assert.Contains($"--policy {_temp.Path}: is a folder; expected a file", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_RefuseClientIdsWithoutAProvider_When_CheckIsToldOnlyTheClientIds()
    {
        var result = await KeylessCli.RunAsync("trust", "check", MainBranchPolicy, "--client-id", "sts.amazonaws.com");

        CliAssert.UnusableInput(result);
        Assert.Contains("--client-id sts.amazonaws.com", result.Errors, StringComparison.Ordinal);
        Assert.Contains("--provider-url", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_TellToPutTheSeparatorFirst_When_ExecGetsACommandWithoutIt()
    {
        var result = await KeylessCli.RunAsync("exec", "aws", "sts", "get-caller-identity");

        CliAssert.UnusableInput(result);
        Assert.Contains("Put -- before the command: keyless exec [options] -- aws", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mars-1")]
    [InlineData("Frankfurt")]
    [InlineData("us_east_1")]
    public async Task Should_RefuseTheRegion_When_ItIsNoAwsRegionName(string region)
    {
        var result = await KeylessCli.RunAsync("releases", "--bucket", "acme-www", "--region", region);

        CliAssert.UnusableInput(result);
        Assert.Contains($"--region {region}: not an AWS Region name", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("binary")]
    [InlineData("latin-1")]
    [InlineData("truncated")]
    public async Task Should_NameTheTemplate_When_LocalApplyCannotUseIt(string content)
    {
        var bytes = content switch
        {
            "binary" => new byte[] { 0x00, 0x9F, 0x92, 0x96, 0xFF, 0x00 },
            "latin-1" => new byte[] { (byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)':', (byte)'1', (byte)'}' },
            "truncated" => System.Text.Encoding.UTF8.GetBytes("{\"Resources\": {\"Provider\": "),
            _ => [],
        };
        var template = Path.Combine(_temp.Path, "Stack.template.json");
        File.WriteAllBytes(template, bytes);

        var result = await KeylessCli.RunAsync("local", "apply", "--template", template, "--endpoint", "http://127.0.0.1:1", "--issuer", "http://127.0.0.1:2", "--state", _temp.Path);

        CliAssert.UnusableInput(result);
        Assert.Contains(template, result.Errors, StringComparison.Ordinal);
        Assert.Equal(["Stack.template.json"], Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Should_NameTheEndpointAndHowToStartMoto_When_NothingAnswersThere()
    {
        var template = _temp.Write("Stack.template.json", """{"Resources": {"Provider": {"Type": "AWS::IAM::OIDCProvider", "Properties": {"Url": "https://gitlab.com", "ClientIdList": ["sts.amazonaws.com"]}}}}""");

        var result = await KeylessCli.RunAsync("local", "apply", "--template", template, "--endpoint", "http://127.0.0.1:1", "--issuer", "http://127.0.0.1:2", "--state", _temp.Path);

        CliAssert.UnusableInput(result);
        Assert.Contains("No moto_server answers at http://127.0.0.1:1/", result.Errors, StringComparison.Ordinal);
        Assert.Contains("moto_server -H 127.0.0.1 -p 5000", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_NameTheFile_When_TheStateFolderIsAFile()
    {
        var file = _temp.Write("state", "not a folder");

        var result = await KeylessCli.RunAsync("local", "issuer", "--state", file);

        CliAssert.UnusableInput(result);
        Assert.Contains($"{file} is a file", result.Errors, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("refs/heads/main", "--ref main")]
    [InlineData("refs/tags/v1.0.0", "--ref v1.0.0")]
    public async Task Should_RefuseAFullRefName_When_LocalTokenGetsOne(string gitRef, string suggestion)
    {
        var result = await KeylessCli.RunAsync("local", "token", "--project", "acme/website", "--ref", gitRef, "--ref-type", "branch", "--aud", "sts.amazonaws.com", "--issuer", "http://127.0.0.1:2", "--state", _temp.Path);

        CliAssert.UnusableInput(result);
        Assert.Contains($"--ref {gitRef}", result.Errors, StringComparison.Ordinal);
        Assert.Contains(suggestion, result.Errors, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public async Task Should_RefuseAnEmptySite_When_SiteCheckIsPointedAtIt()
    {
        var result = await KeylessCli.RunAsync("site", "check", "--site", _temp.Path);

        CliAssert.UnusableInput(result);
        Assert.Contains("holds no files of a site", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_RefuseTheSourceFolder_When_DeployIsPointedAtTheUnbuiltSite()
    {
        // Given the site's source as keyless.json names it, never built
        var source = Path.Combine(_temp.Path, "site");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "index.html"), "<html>Home</html>");
        var config = _temp.Write("keyless.json", $$$"""{"gitlab": {"project": "acme/www", "projectId": "42"}, "aws": {"account": "111122223333", "region": "us-east-1"}, "site": {"source": "{{{source}}}"}}""");

        // When
        var result = await KeylessCli.RunAsync("deploy", "--site", source, "--bucket", "acme-www", "--config", config, "--dotenv", Path.Combine(_temp.Path, "deploy.env"));

        // Then
        CliAssert.UnusableInput(result);
        Assert.Contains($"--site {source}: this is the site's source folder", result.Errors, StringComparison.Ordinal);
        Assert.Contains("keyless site build", result.Errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "deploy.env")));
    }
}
