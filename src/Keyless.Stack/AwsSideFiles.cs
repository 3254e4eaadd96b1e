using Keyless.Core.Scaffolding;

namespace Keyless.Stack;

/// <summary>
/// The AWS side <c>keyless init</c> writes: the CloudFormation template of keyless.json, or a CDK app that builds
/// the same resources with the Keyless.Cdk constructs.
/// </summary>
public sealed class AwsSideFiles : IGeneratedFiles
{
    public const string TemplatePath = "keyless.template.json";

    public IEnumerable<GeneratedFile> Files(ProjectSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return setup.AwsSide == AwsSideForm.Cdk
            ? CdkAppScaffold.Files(setup.Config, setup.PackageVersion, ComponentReference.Parse(setup.Component).NuGetFeed(setup.Config.GitLab.Url + "/api/v4")).Select(f => new GeneratedFile(f.Path, f.Content, "the AWS side, a CDK app"))
            : [new GeneratedFile(TemplatePath, CloudFormationTemplate.For(setup.Config, setup.ExistingProviderArn), "the AWS side, a CloudFormation template")];
    }
}
