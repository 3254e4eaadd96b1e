using System.Text.Json.Nodes;
using CsCheck;
using Keyless.Cli.Tests.Infrastructure;
using Keyless.Core;

namespace Keyless.Cli.Tests;

/// <summary>
/// <c>trust check</c> over examples/trust/real-world: trust policies in the shapes people have (Terraform's
/// rendered policy documents, CloudFormation JSON and YAML with short tags, CDK output with the L1 and L2
/// providers, get-role and list-roles output). Each role's verdict is reasoned from the policy, not taken
/// from the tool; a role must get the same verdict in the folder run as alone.
/// </summary>
public sealed class RealWorldCorpusTests : IDisposable
{
    private static readonly string Corpus = Path.Combine(Repo.TrustExamples, "real-world");

    private static readonly string[] VerdictParts = ["findings", "admitted", "providers"];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>File, role, whether any token gets in, and the error and warning rules expected.</summary>
    public static TheoryData<string, string, bool, string, string> Verdicts => new()
    {
        // Exact project, branch and project_id: nothing to report but the ref_protected hint.
        { "tf-deploy-main.json", "tf-deploy-main", true, "", "" },
        { "tf-any-branch.json", "tf-any-branch", true, "KL004", "KL012" },
        // project_path:acme* runs on into any ref of both types, and into acme-evil/…
        { "tf-namespace-prefix.json", "tf-namespace-prefix", true, "KL002 KL004 KL006", "KL012" },
        { "tf-no-sub.json", "tf-no-sub", true, "KL001 KL006 KL014", "KL012" },
        { "tf-self-managed.json", "tf-self-managed", true, "", "" },
        { "tf-string-equals-wildcard.json", "tf-string-equals-wildcard", false, "KL015", "KL007 KL022" },
        // "project_path:ops/app1" lacks the ref part; tools/* admits any ref of any tools project.
        { "tf-sub-without-ref.json", "tf-sub-without-ref", true, "KL004 KL006", "KL003 KL012 KL022" },
        { "tf-ref-type-without-ref.json", "tf-ref-type-without-ref", false, "KL015", "KL022" },
        // The same policy as tf-deploy-main with keys in mixed case: the same verdict.
        { "tf-mixed-case-keys.json", "tf-mixed-case-keys", true, "", "" },
        { "tf-runner-role-too.json", "tf-runner-role-too", true, "", "" },
        { "tf-github-style-sub.json", "tf-github-style-sub", false, "KL015", "KL022" },
        { "tf-protected-release-tags.json", "tf-protected-release-tags", true, "", "" },
        { "tf-release-tags-unprotected.json", "tf-release-tags-unprotected", true, "", "KL005" },
        // Any branch but feature/*: still a wildcard anyone with push access can use.
        { "tf-deny-feature-branches.json", "tf-deny-feature-branches", true, "", "KL005" },
        { "tf-for-any-value.json", "tf-for-any-value", true, "KL014", "KL010" },
        { "tf-namespace-id-pin.json", "tf-namespace-id-pin", true, "", "KL003" },
        // terraform show -json: the state's provider lists only https://gitlab.com, so the release role's
        // aud sts.amazonaws.com is refused; the deploy role pins everything.
        { "terraform-show.json", "aws_iam_role.deploy", true, "", "" },
        { "terraform-show.json", "module.release.aws_iam_role.this", false, "KL015", "KL022" },
        { "get-role-deploy.json", "acme-web-deploy", true, "", "" },
        { "get-role-long-session.json", "acme-group-deploy", true, "", "KL003 KL012 KL013" },
        { "list-roles.json", "docs-deploy", true, "", "" },
        { "list-roles.json", "ci-anything", true, "KL001 KL006 KL014", "KL012" },
        { "cfn-provider-sts-audience.json", "DeployRole", true, "", "" },
        // The template's provider lists only https://gitlab.com: STS refuses sts.amazonaws.com tokens.
        { "cfn-audience-refused.json", "DeployRole", false, "KL015", "KL022" },
        { "cfn-any-ref.json", "DeployRole", true, "KL004 KL006", "KL012" },
        { "cfn-short-tags.yaml", "DeployRole", true, "", "" },
        { "cfn-join-any-tag.yml", "ReleaseRole", true, "KL004", "KL012" },
        { "cdk-l2-provider.template.json", "DeployRole0A2D6E8B", true, "", "KL005" },
        { "cdk-l2-provider.template.json", "CustomAWSCDKOpenIdConnectProviderCustomResourceProviderRole517FED65", false, "", "" },
        // Two client IDs and no aud pin; preview/* branches unprotected.
        { "cdk-l1-provider.template.json", "PreviewRoleC1B2A3D4", true, "", "KL005 KL011" },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public async Task Should_GiveEachRoleItsReasonedVerdict_When_CorpusFolderIsChecked(string file, string role, bool admitsSomeone, string errors, string warnings)
    {
        var (_, report) = await TrustRuns.CheckJsonAsync(Corpus);

        var checkedRole = Role(report, file, role);
        Assert.Equal(admitsSomeone, checkedRole["admitted"]!.AsArray().Count > 0);
        Assert.Equal(Rules(errors), RulesOf(checkedRole, "error"));
        Assert.Equal(Rules(warnings), RulesOf(checkedRole, "warning"));
    }

    [Fact]
    public async Task Should_CheckEveryRoleAndSkipOnlyTheAssemblyManifest_When_CorpusFolderIsChecked()
    {
        var (result, report) = await TrustRuns.CheckJsonAsync(Corpus);

        CliAssert.ExitCode(ExitCodes.Failed, result);
        Assert.Equal(Verdicts.Count, TrustRuns.Roles(report).Count);
        Assert.Equal("manifest.json", Path.GetFileName((string)Assert.Single(report["skipped"]!.AsArray())!["file"]!));
        Assert.Empty(report["unusable"]!.AsArray());
    }

    [Fact]
    public async Task Should_GiveEveryRoleTheVerdictItGetsAlone_When_FilesAreCheckedTogether()
    {
        var (_, together) = await TrustRuns.CheckJsonAsync(Corpus);

        foreach (var file in Directory.GetFiles(Corpus).Where(f => !f.EndsWith("manifest.json", StringComparison.Ordinal)))
        {
            var (_, alone) = await TrustRuns.CheckJsonAsync(file);
            foreach (var role in TrustRuns.Roles(alone))
            {
                var same = Role(together, Path.GetFileName(file), (string)role["role"]!);
                Assert.True(JsonNode.DeepEquals(role["findings"], same["findings"]), $"{file} {role["role"]}: findings differ alone and together");
                Assert.True(JsonNode.DeepEquals(role["admitted"], same["admitted"]), $"{file} {role["role"]}: admitted sets differ alone and together");
                Assert.True(JsonNode.DeepEquals(role["providers"], same["providers"]), $"{file} {role["role"]}: providers differ alone and together");
            }
        }
    }

    [Fact]
    public async Task Should_GiveEveryRoleTheVerdictItGetsAlone_When_ARandomSubsetOfFilesIsAFolder()
    {
        // Given: every file's verdicts alone
        var files = Directory.GetFiles(Corpus).Where(f => !f.EndsWith("manifest.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        var alone = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            alone[Path.GetFileName(file)] = (await TrustRuns.CheckJsonAsync(file)).Report;
        }

        // When: a random subset is copied into a folder of its own and checked together
        await Gen.Bool.Array[files.Length].SampleAsync(
            async chosen =>
            {
                using var folder = new TempFolder();
                var picked = files.Where((_, i) => chosen[i]).ToList();
                if (picked.Count == 0)
                {
                    return;
                }

                picked.ForEach(f => File.Copy(f, Path.Combine(folder.Path, Path.GetFileName(f))));
                var (_, together) = await TrustRuns.CheckJsonAsync(folder.Path);

                // Then: each role's findings, admitted set and providers are the ones it gets alone
                foreach (var file in picked.Select(Path.GetFileName).OfType<string>())
                {
                    foreach (var role in TrustRuns.Roles(alone[file]))
                    {
                        var same = Role(together, file, (string)role["role"]!);
                        foreach (var part in VerdictParts)
                        {
                            Assert.True(JsonNode.DeepEquals(role[part], same[part]), $"{file} {role["role"]}: {part} differ alone and with {string.Join(", ", picked.Select(Path.GetFileName))}");
                        }
                    }
                }
            },
            iter: 8);
    }

    [Fact]
    public async Task Should_KeepEachTemplatesProviderToItsOwnRoles_When_AnotherTemplateDeclaresADifferentClientIdList()
    {
        // cfn-any-ref's provider accepts only sts.amazonaws.com, cfn-audience-refused's only https://gitlab.com;
        // tf-any-branch (no provider of its own) pins aud https://gitlab.com.
        var (_, report) = await TrustRuns.CheckJsonAsync(Path.Combine(Corpus, "cfn-any-ref.json"), Path.Combine(Corpus, "tf-any-branch.json"), Path.Combine(Corpus, "cfn-audience-refused.json"));

        Assert.Contains("KL004", RulesOf(Role(report, "cfn-any-ref.json", "DeployRole"), "error"));
        Assert.Contains("KL015", RulesOf(Role(report, "cfn-audience-refused.json", "DeployRole"), "error"));
        Assert.Contains("KL004", RulesOf(Role(report, "tf-any-branch.json", "tf-any-branch"), "error"));
        Assert.Null(Role(report, "tf-any-branch.json", "tf-any-branch")["providers"]![0]!["clientIds"]);
    }

    [Fact]
    public async Task Should_ReplayEveryWitnessAsAllowed_When_CorpusFindingsHaveWitnesses()
    {
        var (_, report) = await TrustRuns.CheckJsonAsync(Corpus);

        var witnessed = TrustRuns.Findings(report).Where(f => f.Witness is not null).ToList();
        Assert.NotEmpty(witnessed);
        foreach (var finding in witnessed)
        {
            var roleOption = Path.GetFileName(finding.Source) is "list-roles.json" or "cdk-l2-provider.template.json" ? new[] { "--role", finding.Role } : [];
            var result = await TrustRuns.ReplayWitnessAsync(_temp, finding.Source, finding.Witness!, roleOption);
            Assert.True(result.ExitCode == ExitCodes.Success, $"{finding.Role} {finding.Rule}: witness denied: {result}");
        }
    }

    [Fact]
    public async Task Should_ReportTheAdmittedSetAsData_When_FormatIsJson()
    {
        var (_, report) = await TrustRuns.CheckJsonAsync(Path.Combine(Corpus, "cdk-l2-provider.template.json"));

        var grant = Role(report, "cdk-l2-provider.template.json", "DeployRole0A2D6E8B")["admitted"]![0]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind": "pattern", "patterns": ["release/*"], "values": ["main"]}"""), grant["refs"]), grant["refs"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind": "exact", "values": ["acme/web"]}"""), grant["projects"]), grant["projects"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind": "exact", "values": ["https://gitlab.com"]}"""), grant["audiences"]), grant["audiences"]!.ToJsonString());

        var (_, anyRef) = await TrustRuns.CheckJsonAsync(Path.Combine(Corpus, "tf-any-branch.json"));
        Assert.Equal("any", (string)TrustRuns.Roles(anyRef)[0]["admitted"]![0]!["refs"]!["kind"]!);
    }

    [Fact]
    public async Task Should_UseTheGivenValueAndSaySo_When_ParameterIsGiven()
    {
        var template = Path.Combine(Corpus, "cfn-short-tags.yaml");

        var (result, report) = await TrustRuns.CheckJsonAsync(template, "--parameter", "GitLabProject=acme/other");
        var text = await KeylessCli.RunAsync("trust", "check", template, "--parameter", "GitLabProject=acme/other", "--now", Repo.Now);

        CliAssert.ExitCode(ExitCodes.Success, result);
        var role = TrustRuns.Roles(report)[0];
        Assert.Equal("acme/other", (string)role["admitted"]![0]!["projects"]!["values"]![0]!);
        Assert.Contains(role["parameters"]!.AsArray(), p => (string)p!["name"]! == "GitLabProject" && (string)p["from"]! == "--parameter");
        Assert.Contains(role["parameters"]!.AsArray(), p => (string)p!["name"]! == "GitLabProjectId" && (string)p["value"]! == "31415926" && (string)p["from"]! == "default");
        Assert.Contains("parameters: GitLabProjectId=31415926 (default), GitLabProject=acme/other (--parameter)", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_ExitTwoNamingTheParameter_When_NoTemplateReadsIt()
    {
        var result = await KeylessCli.RunAsync("trust", "check", Path.Combine(Corpus, "cfn-short-tags.yaml"), "--parameter", "GitLabProjekt=acme/other", "--now", Repo.Now);

        CliAssert.ExitCode(ExitCodes.UnusableInput, result);
        Assert.Contains("--parameter GitLabProjekt", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_CheckTheOtherFilesAndNameTheUnusableOne_When_AFolderHoldsABrokenFile()
    {
        // Given: a template (which used to hide every other file), a policy, and a truncated file
        File.Copy(Path.Combine(Corpus, "cfn-any-ref.json"), Path.Combine(_temp.Path, "site.template.json"));
        File.Copy(Path.Combine(Corpus, "tf-deploy-main.json"), Path.Combine(_temp.Path, "deploy.json"));
        _temp.Write("broken.json", "{\"Version\": \"2012-10-17\", \"Statement\": [");

        // When
        var result = await KeylessCli.RunAsync("trust", "check", _temp.Path, "--now", Repo.Now);

        // Then: both good files are checked, the broken one is named with why, and the run exits 2
        CliAssert.ExitCode(ExitCodes.UnusableInput, result);
        Assert.Contains("FAIL DeployRole", result.Output, StringComparison.Ordinal);
        Assert.Contains("ok deploy", result.Output, StringComparison.Ordinal);
        Assert.Contains("not checked", result.Output, StringComparison.Ordinal);
        Assert.Contains("broken.json: not valid JSON", result.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Errors, StringComparison.Ordinal);
    }

    private static JsonObject Role(JsonObject report, string file, string role) =>
        TrustRuns.Roles(report).SingleOrDefault(r => Path.GetFileName((string)r["source"]!) == file && (string)r["role"]! == role)
        ?? throw new Xunit.Sdk.XunitException($"No role {role} of {file} in the report");

    private static string[] Rules(string ids) => [.. ids.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    private static string[] RulesOf(JsonObject role, string severity) =>
        [.. role["findings"]!.AsArray().Where(f => (string)f!["severity"]! == severity).Select(f => (string)f!["rule"]!).Distinct().Order(StringComparer.Ordinal)];
}
