using Keyless.Core.Configuration;

namespace Keyless.Core.Scaffolding;

/// <summary>
/// A file <c>keyless init</c> writes into the user's repository: where (relative to the repository's root,
/// <c>/</c>-separated), its whole content, and what it is for the report ("the project config", "the pipeline").
/// </summary>
public sealed record GeneratedFile(string Path, string Content, string What)
{
    /// <summary>
    /// For a file the user owns and keyless only adds to (the pipeline): when it exists with other content it is
    /// never replaced, and these are the lines to add to it by hand. Null: an existing file that differs is
    /// replaced, with consent.
    /// </summary>
    public string? LinesToAdd { get; init; }
}

/// <summary>
/// A producer of generated files from the project config. <c>keyless init</c> writes the files of every producer
/// in its list, with the same comparison, diff and consent for each.
/// </summary>
public interface IGeneratedFiles
{
    IEnumerable<GeneratedFile> Files(ProjectSetup setup);
}

/// <summary>
/// What the generated files are made from: the project config, the deploy component the pipeline includes
/// (a CI/CD component reference, <c>HOST/GROUP/PROJECT/deploy@VERSION</c>) and the form of the AWS side.
/// </summary>
public sealed record ProjectSetup(KeylessConfig Config, string Component)
{
    public AwsSideForm AwsSide { get; init; } = AwsSideForm.CloudFormation;

    /// <summary>An OIDC provider the account already has for the instance, referred to instead of created.</summary>
    public string? ExistingProviderArn { get; init; }

    /// <summary>The version of the Keyless.Cdk package a CDK app uses: this keyless's.</summary>
    public string PackageVersion { get; init; } = "1.0.0";
}

/// <summary>How the AWS side is created: one CloudFormation template, or a CDK app.</summary>
public enum AwsSideForm
{
    CloudFormation,
    Cdk,
}
