using Keyless.Core.Configuration;

namespace Keyless.Stack;

/// <summary>The commands that create a project's stack and save its outputs where the deploy jobs read them.</summary>
public static class StackCommands
{
    public static string DeployTemplate(KeylessConfig config, string templateFile)
    {
        ArgumentNullException.ThrowIfNull(config);
        return $"aws cloudformation deploy --template-file {templateFile} --stack-name {StackNames.Stack(config.GitLab.Project)} --capabilities CAPABILITY_IAM --region {config.Aws.Region}";
    }

    /// <summary>What <c>aws cloudformation describe-stacks</c> prints is a stack outputs file keyless reads.</summary>
    public static string SaveOutputs(KeylessConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return $"aws cloudformation describe-stacks --stack-name {StackNames.Stack(config.GitLab.Project)} --region {config.Aws.Region} > {StackOutputs.DefaultFile}";
    }

    public static string DeployCdkApp(KeylessConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return $"cdk bootstrap aws://{config.Aws.Account}/{config.Aws.Region} && cdk deploy --outputs-file {StackOutputs.DefaultFile}";
    }
}
