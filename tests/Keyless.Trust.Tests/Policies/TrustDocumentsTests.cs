using Keyless.Core;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Policies;

/// <summary>Loading a bare policy, <c>aws iam get-role</c> output and CloudFormation/CDK templates.</summary>
public sealed class TrustDocumentsTests
{
    private const string Account = "444455556666";

    private const string GitLabProvider = """
        "GitLabProvider": {
          "Type": "AWS::IAM::OIDCProvider",
          "Properties": {"Url": "https://gitlab.com", "ClientIdList": ["sts.amazonaws.com"]}
        }
        """;

    private static string Template(string federated, string extraResources = "") => $$$"""
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Resources": {
            {{{GitLabProvider}}},
            {{{extraResources}}}
            "DeployRole": {
              "Type": "AWS::IAM::Role",
              "Properties": {
                "MaxSessionDuration": 7200,
                "AssumeRolePolicyDocument": {
                  "Version": "2012-10-17",
                  "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Federated": {{{federated}}}},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                      "StringEquals": {
                        "gitlab.com:sub": "project_path:acme/app:ref_type:branch:ref:main",
                        "gitlab.com:project_id": "42"
                      }
                    }
                  }]
                }
              }
            }
          }
        }
        """;

    private static KeylessException LoadFails(string json)
    {
        var error = Assert.Throws<KeylessException>(() => TrustDocuments.Load("template.json", json, Account));
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        return error;
    }

    private static StsDecision Simulate(RoleTrust role, IReadOnlyList<OidcProvider> providers, string account, int durationSeconds = 3600) =>
        StsSimulator.Simulate(new SimulationInput(
            role.Policy,
            Tokens.GitLabCom().Build(),
            providers,
            account,
            Tokens.Now,
            new AssumeRoleParameters(DurationSeconds: durationSeconds, MaxSessionDuration: role.MaxSessionDuration)));

    [Fact]
    public void Should_LoadABarePolicy_When_DocumentHasAStatement()
    {
        // Given
        var json = TrustPolicy.GitLabCom().ToJson();

        // When
        var set = TrustDocuments.Load("roles/deploy.json", json);

        // Then
        var role = Assert.Single(set.Roles);
        Assert.Equal("deploy", role.Name);
        Assert.Equal(TrustDocuments.DefaultMaxSessionDuration, role.MaxSessionDuration);
        Assert.Equal(TrustPolicy.Account, role.Policy.FederatedAccount());
        Assert.Empty(set.Providers);
    }

    [Fact]
    public void Should_DecodeTheDocumentAndReadMaxSessionDuration_When_GetRoleOutputIsUrlEncoded()
    {
        // Given the raw IAM API form: the trust policy URL-encoded inside a string
        var encoded = Uri.EscapeDataString(TrustPolicy.GitLabCom().ToJson());
        var json = $$$"""
            {"Role": {"RoleName": "gitlab-deploy", "Arn": "arn:aws:iam::111122223333:role/gitlab-deploy",
                      "MaxSessionDuration": 7200, "AssumeRolePolicyDocument": "{{{encoded}}}"}}
            """;

        // When
        var role = TrustDocuments.Load("get-role.json", json).SelectRole(null);

        // Then
        Assert.Equal("gitlab-deploy", role.Name);
        Assert.Equal(7200, role.MaxSessionDuration);
        Assert.Equal("$.Role.AssumeRolePolicyDocument.Statement[0]", role.Policy.Statements[0].Path);
        var gitlab = new OidcProvider("https://gitlab.com", [Tokens.Audience]);
        Assert.Equal(DecisionCode.Allow, Simulate(role, [gitlab], TrustPolicy.Account, durationSeconds: 7200).Code);
    }

    [Fact]
    public void Should_ReadTheDocument_When_GetRoleOutputHasItDecoded()
    {
        // Given the aws CLI form: the trust policy as a JSON object
        var json = $$$"""{"Role": {"RoleName": "gitlab-deploy", "AssumeRolePolicyDocument": {{{TrustPolicy.GitLabCom().ToJson()}}}}}""";

        // When
        var role = TrustDocuments.Load("get-role.json", json).SelectRole(null);

        // Then
        Assert.Equal("gitlab-deploy", role.Name);
        Assert.Equal(3600, role.MaxSessionDuration);
        Assert.Equal("project_path:acme/app:ref_type:branch:ref:main", role.Policy.Statements[0].Conditions[0].Values[0].Raw);
    }

    [Fact]
    public void Should_ResolveTheProviderArn_When_FederatedIsARefToTheTemplatesOidcProvider()
    {
        // Given a CDK-style template
        var json = Template("""{"Ref": "GitLabProvider"}""");

        // When
        var set = TrustDocuments.Load("template.json", json, Account);

        // Then
        var role = set.SelectRole("DeployRole");
        Assert.Equal(7200, role.MaxSessionDuration);
        Assert.Equal(["arn:aws:iam::444455556666:oidc-provider/gitlab.com"], role.Policy.Statements[0].Principal.Federated);
        Assert.Equal(Account, role.Policy.FederatedAccount());
        var provider = Assert.Single(set.Providers);
        Assert.Equal("https://gitlab.com", provider.Url);
        Assert.Equal([Tokens.Audience], provider.ClientIds);
        Assert.Equal(DecisionCode.Allow, Simulate(role, set.Providers, Account).Code);
    }

    [Theory]
    [InlineData("""{"Fn::GetAtt": ["GitLabProvider", "Arn"]}""")]
    [InlineData("""{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":oidc-provider/gitlab.com"]]}""")]
    [InlineData("""{"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "iam", "", {"Ref": "AWS::AccountId"}, "oidc-provider/gitlab.com"]]}""")]
    [InlineData("""{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/gitlab.com"}""")]
    public void Should_ResolveTheProviderArn_When_FederatedUsesAnIntrinsicFunction(string federated)
    {
        // Given
        var json = Template(federated);

        // When
        var role = TrustDocuments.Load("template.json", json, Account).SelectRole(null);

        // Then
        Assert.Equal(["arn:aws:iam::444455556666:oidc-provider/gitlab.com"], role.Policy.Statements[0].Principal.Federated);
    }

    [Fact]
    public void Should_UseThePlaceholderAccount_When_NoAccountIsGiven()
    {
        // Given
        var json = Template("""{"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:oidc-provider/gitlab.com"}""");

        // When
        var role = TrustDocuments.Load("template.json", json).SelectRole(null);

        // Then
        Assert.Equal(TrustDocuments.PlaceholderAccount, role.Policy.FederatedAccount());
    }

    [Fact]
    public void Should_AskForARole_When_TemplateHasSeveralAndNoneIsNamed()
    {
        // Given
        var second = """
            "OtherRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument":
              {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}}},
            """;
        var set = TrustDocuments.Load("template.json", Template("""{"Ref": "GitLabProvider"}""", second), Account);

        // When
        var error = Assert.Throws<KeylessException>(() => set.SelectRole(null));

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Equal("template.json has 2 roles (OtherRole, DeployRole); pick one with --role.", error.Message);
        Assert.Equal("DeployRole", set.SelectRole("DeployRole").Name);
    }

    [Fact]
    public void Should_NameTheResources_When_TemplateHasNoRole()
    {
        // Given
        var json = "{\"Resources\": {" + GitLabProvider + "}}";

        // When
        var error = LoadFails(json);

        // Then
        Assert.Equal("template.json: at $.Resources: found no resource of type AWS::IAM::Role; expected a template with at least one AWS::IAM::Role.", error.Message);
    }

    [Fact]
    public void Should_NameTheFunctionAndPath_When_IntrinsicCannotBeResolved()
    {
        // Given an import from another stack
        var json = Template("""{"Fn::ImportValue": "GitLabProviderArn"}""");

        // When
        var error = LoadFails(json);

        // Then
        Assert.StartsWith(
            "template.json: at $.Resources.DeployRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated.Fn::ImportValue: found the intrinsic function Fn::ImportValue in a form Keyless cannot resolve; expected Ref, Fn::GetAtt",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Should_NameTheTarget_When_RefPointsOutsideTheTemplate()
    {
        // Given
        var json = Template("""{"Ref": "GitHubProvider"}""");

        // When
        var error = LoadFails(json);

        // Then
        Assert.StartsWith(
            "template.json: at $.Resources.DeployRole.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated.Ref: found a reference to \"GitHubProvider\"; expected ",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Should_NameTheSource_When_InputIsMalformedJson()
    {
        // Given
        const string json = "{\"Resources\": {\n  \"DeployRole\": \n}";

        // When
        var error = LoadFails(json);

        // Then
        Assert.StartsWith("template.json: not valid JSON (line 3)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SayWhatShapesAreAccepted_When_ObjectIsNoneOfThem()
    {
        // Given
        const string json = """{"Policy": {}}""";

        // When
        var error = LoadFails(json);

        // Then
        Assert.StartsWith("template.json: at $: found an object without \"Statement\", \"Role\", \"Roles\" or \"Resources\"; expected a trust policy", error.Message, StringComparison.Ordinal);
    }
}
