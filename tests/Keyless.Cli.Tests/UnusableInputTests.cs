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

        var result = await CliRunner.RunAsync("trust", "check", policy);

        CliAssert.UnusableInput(result);
        Assert.Contains("$.Statement[0].Condition.StringEqualz", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheOption_When_PolicyOptionIsMissing()
    {
        var result = await CliRunner.RunAsync(
            "trust", "simulate", "--claims", MainClaims, "--provider-url", TrustRuns.GitLab, "--client-id", TrustRuns.GitLab);

        CliAssert.UnusableInput(result);
        Assert.Contains("--policy", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheOption_When_ClaimsOptionIsMissing()
    {
        var result = await CliRunner.RunAsync(
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
        var result = await CliRunner.RunAsync("trust", "check", MainBranchPolicy, "--strict");

        CliAssert.UnusableInput(result);
        Assert.Contains("strict", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local", "sts")]
    [InlineData("local", "sts", "--upstream", "not a url")]
    [InlineData("local", "sts", "--upstream", "http://127.0.0.1:5000", "--port", "70000")]
    public async Task Should_ExitTwoNamingTheOption_When_LocalStsHasNoUsableUpstreamOrPort(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        CliAssert.UnusableInput(result);
        Assert.Contains(args.Length > 4 ? "--port" : "--upstream", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwo_When_CommandIsUnknown()
    {
        var result = await CliRunner.RunAsync("trust", "simulat");

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
        var result = await CliRunner.RunAsync("trust", "check", MainBranchPolicy, option, value);

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

        var result = await CliRunner.RunAsync("trust", "check", MainBranchPolicy, "--expect", expectations, "--now", Repo.Now);

        CliAssert.UnusableInput(result);
        Assert.Contains("StagingDeployRole", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwo_When_CheckPathIsMissing()
    {
        var missing = Path.Combine(_temp.Path, "cdk.out");

        var result = await CliRunner.RunAsync("trust", "check", missing);

        CliAssert.UnusableInput(result);
        Assert.Contains(missing, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwo_When_CheckGetsNoPath()
    {
        var result = await CliRunner.RunAsync("trust", "check");

        CliAssert.UnusableInput(result);
    }

    [Fact]
    public async Task Should_ExitTwo_When_CheckFolderHoldsNoJson()
    {
        var result = await CliRunner.RunAsync("trust", "check", _temp.Path);

        CliAssert.UnusableInput(result);
    }
}
