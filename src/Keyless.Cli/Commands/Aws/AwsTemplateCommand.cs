using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Core;
using Keyless.Stack;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Aws;

public sealed class AwsTemplateSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [Description("The project config the template is built from. Defaults to $KEYLESS_CONFIG, else the nearest keyless.json up to the repository root.")]
    public string? Config { get; init; }

    [CommandOption("--out <FILE>")]
    [Description("Where to write the template. Defaults to standard output.")]
    public string? Out { get; init; }

    [CommandOption("--oidc-provider <ARN>")]
    [Description("The account's existing OIDC provider for the GitLab instance (IAM allows one per URL): the template then refers to it instead of creating one.")]
    public string? OidcProvider { get; init; }
}

/// <summary><c>keyless aws template</c>: the project's AWS side as one CloudFormation template, deployable without the CDK.</summary>
public sealed class AwsTemplateCommand(IAnsiConsole console, KeylessServices services) : Command<AwsTemplateSettings>
{
    public override int Execute(CommandContext context, AwsTemplateSettings settings, CancellationToken cancellationToken)
    {
        OutputFiles.Check(settings.Out, "--out", services.WorkingFolder);
        var config = services.RequiredConfig(settings.Config, "keyless aws template");
        var template = CloudFormationTemplate.For(config, ExistingProvider.Check(settings.OidcProvider, config, "--oidc-provider"));
        if (settings.Out is null)
        {
            console.Profile.Out.Writer.Write(template);
            return ExitCodes.Success;
        }

        OutputFiles.Write(settings.Out, "--out", services.WorkingFolder, template);
        console.MarkupLine(Markup.Escape($"Wrote {settings.Out}: the OIDC provider{(settings.OidcProvider is null ? "" : " (existing)")}, and a deploy role and site for {string.Join(", ", config.Environments.Select(e => e.Name))}. Create the stack, and save its outputs for the deploy jobs, with:"));
        console.MarkupLine(Markup.Escape($"  {StackCommands.DeployTemplate(config, settings.Out)}"));
        console.MarkupLine(Markup.Escape($"  {StackCommands.SaveOutputs(config)}"));
        return ExitCodes.Success;
    }
}
