using Keyless.Cdk;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Stack;

namespace Keyless.Infrastructure.Tests;

/// <summary>The app: where it finds the config, how it refuses a bad one, where it writes the cloud assembly.</summary>
[Collection(SynthesizedStacksDefinition.Name)]
public sealed class ProgramTests(SynthesizedStacks stacks) : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("keyless-cdk-program-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();

    private (int Code, string Errors) Run(Func<string, string?> variables)
    {
        using var errors = new StringWriter();
        var code = KeylessCdkApp.Run(variables, _folder.FullName, errors);
        return (code, errors.ToString());
    }

    [Fact]
    public void Should_PrintOneMessageAndExit2_When_ConfigIsInvalid()
    {
        // Given
        var path = Path.Combine(_folder.FullName, "keyless.json");
        File.WriteAllText(path, """{"gitlab": {"project": "website", "projectId": "42"}, "aws": {"account": "111122223333", "region": "eu-central-1"}}""");

        // When
        var (code, errors) = Run(Variables());

        // Then: the parser's one message, no stack trace
        Assert.Equal(ExitCodes.UnusableInput, code);
        Assert.Equal(
            "keyless.json: at $.gitlab.project: found \"website\"; expected the project's full path, such as \"group/project\" or \"group/subgroup/project\".",
            errors.TrimEnd('\n'));
    }

    [Fact]
    public void Should_Exit2_When_ConfiguredFileIsMissing()
    {
        var (code, errors) = Run(Variables((KeylessCdkApp.ConfigVariable, "nowhere/keyless.json")));

        Assert.Equal(ExitCodes.UnusableInput, code);
        var message = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches("^KEYLESS_CONFIG /.*/nowhere/keyless.json: no such file\\.", message);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Exit2_When_ExistingProviderIsNotTheInstancesProviderInTheAccount()
    {
        var (code, errors) = Run(Variables(
            (KeylessCdkApp.ConfigVariable, stacks.RepoConfigPath),
            (KeylessCdkApp.ProviderVariable, "arn:aws:iam::999999999999:oidc-provider/gitlab.com")));

        Assert.Equal(ExitCodes.UnusableInput, code);
        Assert.Contains("expected arn:aws:iam::111122223333:oidc-provider/gitlab.com", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_ReadTheNearestKeylessJsonAndTheExistingProvider_When_RunBelowTheRepositoryRoot()
    {
        // Given
        var below = Path.Combine(SynthesizedStacks.RepositoryRoot, "src", "Keyless.Infrastructure");

        // When
        var props = KeylessCdkApp.ReadProps(Variables((KeylessCdkApp.ProviderVariable, "arn:aws:iam::111122223333:oidc-provider/gitlab.com")), below);

        // Then
        Assert.Equal(Path.Combine("..", "..", "keyless.json"), props.Config.Source);
        Assert.Equal("keyless-demo/website", props.Config.GitLab.Project);
        Assert.Equal("arn:aws:iam::111122223333:oidc-provider/gitlab.com", props.ExistingOidcProviderArn);
    }

    [Fact]
    public void Should_NameTheFileToCreate_When_NoKeylessJsonIsFound()
    {
        var error = Assert.Throws<KeylessException>(() => KeylessCdkApp.ReadProps(Variables(), _folder.FullName));

        Assert.Contains("set KEYLESS_CONFIG=PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_SynthesizeIntoCdkOutdir_When_ConfigIsValid()
    {
        // Given
        var outdir = Path.Combine(_folder.FullName, "cdk.out");

        // When
        var (code, errors) = Run(Variables((KeylessCdkApp.ConfigVariable, stacks.RepoConfigPath), (KeylessCdkApp.OutdirVariable, outdir)));

        // Then
        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.True(File.Exists(Path.Combine(outdir, "Keyless-keyless-demo-website.template.json")));
        Assert.True(File.Exists(Path.Combine(outdir, "manifest.json")));
    }

    [Theory]
    [InlineData("keyless-demo/website", "Keyless-keyless-demo-website")]
    [InlineData("Group.Sub/my__project", "Keyless-Group-Sub-my-project")]
    public void Should_NameTheStackAfterTheProjectPath_When_PathHasPunctuation(string project, string expected) =>
        Assert.Equal(expected, StackNames.Stack(project));

    [Theory]
    [InlineData("staging", "Staging")]
    [InlineData("pre-prod", "PreProd")]
    public void Should_PrefixOutputsWithThePascalCasedEnvironment_When_NameHasDashes(string environment, string expected) =>
        Assert.Equal(expected, StackOutputs.Prefix(environment));
}
