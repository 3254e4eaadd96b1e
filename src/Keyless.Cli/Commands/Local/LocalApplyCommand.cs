using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Local.Cloud;
using Keyless.Local.Issuer;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Local;

public sealed class LocalApplySettings : FormatSettings
{
    [CommandOption("--template <FILE>")]
    [Description("The synthesized template. Defaults to the only *.template.json in cdk.out.")]
    public string? Template { get; init; }

    [CommandOption("--endpoint <URL>")]
    [Description("The moto_server to apply to. Defaults to $AWS_ENDPOINT_URL.")]
    public string? Endpoint { get; init; }

    [CommandOption("--issuer <URL>")]
    [Description("The local issuer the OIDC provider points at. Defaults to the running `keyless local issuer` of the state folder.")]
    public string? Issuer { get; init; }

    [CommandOption("--state <DIR>")]
    [Description("Keyless's state folder (default $KEYLESS_STATE_DIR, else ./.keyless).")]
    public string? State { get; init; }

    [CommandOption("--outputs <FILE>")]
    [Description("Where to write the stack outputs, in the shape of `cdk deploy --outputs-file`. Defaults to STATE/local/cdk-outputs.json.")]
    public string? Outputs { get; init; }
}

/// <summary><c>keyless local apply</c>: create in moto what the synthesized template describes, idempotently.</summary>
public sealed class LocalApplyCommand(IAnsiConsole console, KeylessServices services) : AsyncCommand<LocalApplySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LocalApplySettings settings, CancellationToken cancellationToken)
    {
        var state = services.StateRoot(settings.State);
        var template = settings.Template ?? SingleTemplate("cdk.out", services.WorkingFolder);
        var endpoint = settings.Endpoint ?? services.Environment.Variable("AWS_ENDPOINT_URL")
            ?? throw KeylessException.Input("--endpoint URL is required (or $AWS_ENDPOINT_URL): the moto_server to apply the template to.");
        if (!HttpUrl.TryParse(endpoint, out var endpointUri))
        {
            throw KeylessException.Input($"--endpoint {endpoint}: not an absolute http(s) URL; expected the moto_server's, such as http://127.0.0.1:5000.");
        }

        var issuer = settings.Issuer ?? IssuerRecord.FindRunning(LocalState.IssuerDirectory(state)).Url;
        if (!HttpUrl.Is(issuer))
        {
            throw KeylessException.Input($"--issuer {issuer}: not an absolute http(s) URL; expected the local issuer's, such as http://127.0.0.1:8089.");
        }

        var outputs = settings.Outputs ?? Path.Combine(state, "local", "cdk-outputs.json");
        OutputFiles.Check(outputs, "--outputs", services.WorkingFolder);
        var text = services.Files.Read(template, "--template");
        var result = await LocalCloudClients.ApplyAsync(endpointUri, template, text, issuer, cancellationToken);
        OutputFiles.Write(outputs, "--outputs", services.WorkingFolder, LocalApply.OutputsFile(result), done: "The template is applied.");

        JsonOutput.WriteResult(
            console,
            settings.Format,
            () => new { stack = result.StackName, resources = result.Resources, outputs = result.Outputs, outputsFile = outputs, gitLabComKeys = result.GitLabComKeys },
            () =>
            {
                foreach (var resource in result.Resources)
                {
                    console.MarkupLine($"  {Markup.Escape(resource.Change),-9} {Markup.Escape(resource.Type)} {Markup.Escape(resource.LogicalId)} [grey]→ {Markup.Escape(resource.PhysicalId)}[/]");
                }

                console.MarkupLine($"applied {Markup.Escape(template)} to {Markup.Escape(endpoint)}: {result.Resources.Count(r => r.Change == "created")} created, {result.Resources.Count(r => r.Change == "updated")} updated, {result.Resources.Count(r => r.Change == "unchanged")} unchanged; outputs in {Markup.Escape(outputs)}");
            });

        return ExitCodes.Success;
    }

    private static string SingleTemplate(string folder, string workingFolder)
    {
        var full = Path.GetFullPath(folder, workingFolder);
        var templates = Directory.Exists(full) ? Directory.GetFiles(full, "*.template.json").Select(t => Path.Combine(folder, Path.GetFileName(t))).ToArray() : [];
        return templates.Length == 1
            ? templates[0]
            : throw KeylessException.Input(templates.Length == 0
                ? $"No template in {folder}: synthesize one with `dotnet run --project src/Keyless.Infrastructure`, or pass --template FILE."
                : $"{folder} holds {templates.Length} templates ({string.Join(", ", templates.Select(Path.GetFileName))}); pick one with --template.");
    }
}
