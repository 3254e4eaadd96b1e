using Keyless.Core;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Policies;

/// <summary>The shapes AWS accepts and Keyless reads: YAML with short tags, CDK's L2 provider, parameters, list-roles.</summary>
public sealed class TemplateShapesTests
{
    private const string Yaml = """
        Parameters:
          Project:
            Type: String
            Default: acme/web
        Resources:
          Provider:
            Type: AWS::IAM::OIDCProvider
            Properties:
              Url: https://gitlab.com
              ClientIdList: [sts.amazonaws.com]
          Deploy:
            Type: AWS::IAM::Role
            Properties:
              RoleName: web-deploy
              AssumeRolePolicyDocument:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Principal:
                      Federated: !GetAtt Provider.Arn
                    Action: sts:AssumeRoleWithWebIdentity
                    Condition:
                      StringEquals:
                        gitlab.com:sub: !Sub project_path:${Project}:ref_type:branch:ref:main
                        gitlab.com:aud: !Join [".", [sts, amazonaws, com]]
        """;

    [Fact]
    public void Should_ResolveShortTagsAndParameterDefaults_When_TemplateIsYaml()
    {
        var set = TrustDocuments.Load("stack.yaml", Yaml);

        var role = Assert.Single(set.Roles);
        Assert.Equal("web-deploy", role.RoleName);
        Assert.Equal(["sts.amazonaws.com"], Assert.Single(set.Providers).ClientIds);
        var conditions = role.Policy.Statements[0].Conditions.ToDictionary(c => c.Key, c => c.Values[0].Raw);
        Assert.Equal("project_path:acme/web:ref_type:branch:ref:main", conditions["gitlab.com:sub"]);
        Assert.Equal("sts.amazonaws.com", conditions["gitlab.com:aud"]);
        Assert.Equal("arn:aws:iam::111122223333:oidc-provider/gitlab.com", role.Policy.Statements[0].Principal.Federated[0]);
        Assert.Equal(new TemplateParameter("Project", "acme/web", Given: false), Assert.Single(role.Parameters));
    }

    [Fact]
    public void Should_UseTheGivenValue_When_ParameterIsGiven()
    {
        var role = TrustDocuments.Load("stack.yaml", Yaml, parameters: new Dictionary<string, string> { ["Project"] = "acme/other" }).Roles[0];

        Assert.Equal("project_path:acme/other:ref_type:branch:ref:main", role.Policy.Statements[0].Conditions.Single(c => c.Key == "gitlab.com:sub").Values[0].Raw);
        Assert.True(Assert.Single(role.Parameters).Given);
    }

    [Fact]
    public void Should_NameTheParameterOption_When_AParameterHasNoDefault()
    {
        var error = Assert.Throws<KeylessException>(() => TrustDocuments.Load("stack.yaml", Yaml.Replace("    Default: acme/web\n", "", StringComparison.Ordinal)));

        Assert.Contains("\"Project\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("--parameter NAME=VALUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReadTheClientIdList_When_ProviderIsCdksCustomResource()
    {
        const string json = """
            {"Resources": {
              "Provider": {"Type": "Custom::AWSCDKOpenIdConnectProvider", "Properties": {"ServiceToken": {"Fn::GetAtt": ["Handler", "Arn"]}, "Url": "https://gitlab.com", "ClientIDList": ["https://gitlab.com"]}},
              "Deploy": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Federated": {"Ref": "Provider"}}, "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {"gitlab.com:sub": "project_path:a/b:ref_type:branch:ref:main"}}}]}}}}}
            """;

        var set = TrustDocuments.Load("cdk.template.json", json, "444455556666");

        Assert.Equal(["https://gitlab.com"], Assert.Single(set.Providers).ClientIds);
        Assert.Equal("arn:aws:iam::444455556666:oidc-provider/gitlab.com", set.Roles[0].Policy.Statements[0].Principal.Federated[0]);
    }

    [Fact]
    public void Should_ReadEveryRole_When_InputIsListRolesOutputWithEncodedDocuments()
    {
        var policy = Uri.EscapeDataString("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/gitlab.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""");
        var json = $$"""{"Roles": [{"RoleName": "a", "AssumeRolePolicyDocument": "{{policy}}", "MaxSessionDuration": 3600}, {"RoleName": "b", "AssumeRolePolicyDocument": "{{policy}}", "MaxSessionDuration": 7200}]}""";

        var set = TrustDocuments.Load("roles.json", json);

        Assert.Equal(["a", "b"], set.Roles.Select(r => r.Name));
        Assert.Equal(7200, set.Roles[1].MaxSessionDuration);
    }

    [Fact]
    public void Should_NameLineAndFile_When_YamlIsMalformed()
    {
        var error = Assert.Throws<KeylessException>(() => TrustDocuments.Load("stack.yaml", "Resources:\n  A: [unclosed\n"));

        Assert.StartsWith("stack.yaml: not valid YAML (line", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("? [a, b]\n: c\n", "the mapping key at line 1 is not plain text")]
    [InlineData("Resources: {}\nResources: {}\n", "")]
    public void Should_ExitAsAnInputError_When_YamlHasAnOddKey(string yaml, string expected)
    {
        var error = Assert.Throws<KeylessException>(() => TrustDocuments.Load("stack.yaml", yaml));

        Assert.StartsWith("stack.yaml: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
