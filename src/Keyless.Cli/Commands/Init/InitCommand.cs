using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Core.Scaffolding;
using Keyless.Stack;
using Keyless.Trust;
using Keyless.Trust.Analysis;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Init;

/// <summary>
/// <c>keyless init</c>: keyless.json and the pipeline for the project of the repository, then whom the roles they
/// imply admit, and what to do next. Writes new files, leaves identical ones, and shows a diff for one that differs.
/// </summary>
public sealed class InitCommand(IAnsiConsole console, KeylessServices services) : AsyncCommand<InitSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, InitSettings settings, CancellationToken cancellationToken)
    {
        var repository = services.FullPath(settings.Repository ?? ".");
        if (!Directory.Exists(repository))
        {
            throw KeylessException.Input($"--repository {OptionChecks.Shown(settings.Repository!)}: there is no such folder. Name the folder of the project's git repository.");
        }

        var here = services with { WorkingFolder = repository };
        var ask = !settings.Yes && console.Profile.Capabilities.Interactive;
        var existing = Existing(here);
        var gitlab = existing?.GitLab;
        var git = (settings.GitLabUrl ?? gitlab?.Url) is null || (settings.Project ?? gitlab?.Project) is null || (settings.DefaultBranch ?? gitlab?.DefaultBranch) is null
            ? await GitFacts.ReadAsync(here.WorkingFolder, cancellationToken)
            : new GitFacts(null, null, null);
        var setup = new InitAnswers(settings, existing, git, here, console, ask).Resolve();
        console.MarkupLine($"GitLab project [bold]{Markup.Escape(setup.Config.GitLab.Project)}[/] on {Markup.Escape(setup.Config.GitLab.Url)}, AWS account {setup.Config.Aws.Account} in {setup.Config.Aws.Region}");

        var files = ProjectFiles.For(setup);
        Check(files, here);

        // keyless.json first: the other files follow it as it is in the repository after this step.
        var configFile = files.Single(f => f.Path == KeylessConfig.FileName);
        var currentConfig = await ReadAsync(here, configFile, cancellationToken);
        var proposed = Apply(Kept(configFile, existing, currentConfig), currentConfig, here, settings, ask);
        var others = files.Where(f => f.Path != KeylessConfig.FileName).ToList();
        if (!proposed)
        {
            // keyless.json was left as it is, so nothing is written yet: its own files are checked like the proposed ones were.
            others = [.. ProjectFiles.For(setup with { Config = existing!, ExistingProviderArn = KeptProvider(settings.OidcProvider, existing!) }).Where(f => f.Path != KeylessConfig.FileName)];
            Check(others, here);
            console.MarkupLine($"  the pipeline and the AWS side follow {KeylessConfig.FileName} as it is in the repository; run init with --overwrite to take the proposed change");
        }

        foreach (var file in others)
        {
            Apply(file, await ReadAsync(here, file, cancellationToken), here, settings, ask);
        }

        // What is in the repository now, which is what the pipeline and the AWS side will read.
        var config = here.Config(KeylessConfig.FileName)!;
        console.WriteLine();
        console.MarkupLine($"Who can get in (keyless trust check of the roles {Markup.Escape(config.Source)} implies):");
        var set = DeployTrustPolicy.Roles(config);
        var now = here.Time.GetUtcNow();
        var analyses = set.Roles.Select(r => TrustAnalyzer.Analyze(r, set.Providers, RoleExpectation.For(config, config.Environment(r.Environment!)), now)).ToList();
        CheckText.Write(console, analyses, new CheckInputs([], []));
        NextSteps(config, setup.AwsSide);
        return analyses.Any(a => a.HasErrors) ? ExitCodes.Failed : ExitCodes.Success;
    }

    /// <summary>The keyless.json in the repository, where init writes it; null when there is none. One that cannot be read stops init.</summary>
    private static KeylessConfig? Existing(KeylessServices here)
    {
        if (!File.Exists(here.FullPath(KeylessConfig.FileName)))
        {
            return null;
        }

        try
        {
            return here.Config(KeylessConfig.FileName);
        }
        catch (KeylessException e) when (e.Kind == FailureKind.UnusableInput)
        {
            throw KeylessException.Input($"{e.Message} keyless init starts from the {KeylessConfig.FileName} in {here.WorkingFolder}, so it wrote nothing: fix that file and run init again, or move it away (e.g. mv {KeylessConfig.FileName} {KeylessConfig.FileName}.old) to start over from the options, git and the defaults.");
        }
    }

    /// <summary>
    /// keyless.json as it is when it already says what init would write (comments, $schema and layout are the user's),
    /// so that a re-run that changes no setting proposes no change.
    /// </summary>
    private static GeneratedFile Kept(GeneratedFile file, KeylessConfig? existing, string? current) =>
        file.Path == KeylessConfig.FileName && existing is not null && current is not null && KeylessConfigWriter.Write(existing, schema: null) == file.Content
            ? file with { Content = current }
            : file;

    // --oidc-provider was checked against the proposed keyless.json; the AWS side now follows the one in the repository.
    private static string? KeptProvider(string? arn, KeylessConfig config)
    {
        try
        {
            return ExistingProvider.Check(arn, config, "--oidc-provider");
        }
        catch (KeylessException e) when (e.Kind == FailureKind.UnusableInput)
        {
            throw KeylessException.Input($"{e.Message} {KeylessConfig.FileName} was left as it is and the AWS side follows it, so init wrote nothing: pass --overwrite to take the proposed change with this provider.");
        }
    }

    // Every path checked before any file is written, so a path that cannot be written leaves the repository as it was.
    private static void Check(IEnumerable<GeneratedFile> files, KeylessServices here)
    {
        foreach (var file in files)
        {
            OutputFiles.Check(here.FullPath(file.Path), "--repository", here.WorkingFolder);
        }
    }

    /// <summary>The file as the repository has it, or null when it has none.</summary>
    private static async Task<string?> ReadAsync(KeylessServices here, GeneratedFile file, CancellationToken cancellationToken)
    {
        var path = here.FullPath(file.Path);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
    }

    /// <summary>
    /// Writes the file as generated where it is new, or differs from <paramref name="current"/> and may be replaced; true
    /// when the repository now has it as generated.
    /// </summary>
    private bool Apply(GeneratedFile generated, string? current, KeylessServices here, InitSettings settings, bool ask)
    {
        var path = here.FullPath(generated.Path);
        var change = FileChange.Compare(generated, current);
        var file = change.File;
        switch (change.State)
        {
            case FileState.New:
                Write(path, file.Content);
                console.MarkupLine($"  [green]created[/]   {Markup.Escape(file.Path)} ({Markup.Escape(file.What)})");
                return true;
            case FileState.Unchanged:
                console.MarkupLine($"  unchanged {Markup.Escape(file.Path)} ({Markup.Escape(file.What)})");
                return true;
        }

        if (file.LinesToAdd is { } lines)
        {
            console.MarkupLine($"  [yellow]exists[/]    {Markup.Escape(file.Path)} ({Markup.Escape(file.What)}): keyless does not change it. Add these lines to it:");
            console.WriteLine();
            console.Write(new Text(lines));
            console.WriteLine();
            return false;
        }

        console.MarkupLine($"  [yellow]differs[/]   {Markup.Escape(file.Path)} ({Markup.Escape(file.What)}):");
        foreach (var line in change.Diff.TrimEnd('\n').Split('\n'))
        {
            var colour = line.StartsWith('+') ? "green" : line.StartsWith('-') ? "red" : line.StartsWith('@') ? "blue" : "default";
            console.MarkupLine($"    [{colour}]{Markup.Escape(line)}[/]");
        }

        if (settings.Overwrite || (ask && console.Confirm($"Replace {file.Path} with the generated one?", defaultValue: false)))
        {
            Write(path, file.Content);
            console.MarkupLine($"  [green]replaced[/]  {Markup.Escape(file.Path)}");
            return true;
        }

        console.MarkupLine($"  left {Markup.Escape(file.Path)} as it is{(ask ? "" : " (--overwrite replaces it)")}");
        return false;
    }

    // The files go into the --repository folder (the working folder by default).
    private static void Write(string path, string content) => OutputFiles.Write(path, "--repository", Path.GetDirectoryName(path)!, content);

    private void NextSteps(KeylessConfig config, AwsSideForm awsSide)
    {
        var gitlab = config.GitLab;
        var protect = config.Environments.Where(e => e.ProtectedOnly).SelectMany(e => e.Refs).Distinct().Select(r => $"{(r.Type == "branch" ? "the branch" : "the tags")} {r.Pattern}").ToList();
        var create = awsSide == AwsSideForm.Cdk
            ? [StackCommands.DeployCdkApp(config)]
            : new[] { StackCommands.DeployTemplate(config, AwsSideFiles.TemplatePath), StackCommands.SaveOutputs(config) };
        console.WriteLine();
        console.MarkupLine("Next steps:");
        console.MarkupLine($"  1. Create the AWS side once, with an administrator's credentials for account {config.Aws.Account}: the GitLab OIDC provider for {Markup.Escape(gitlab.Url)} with client ID {Markup.Escape(gitlab.Audience)}, and per environment a deploy role, a bucket and a distribution in {config.Aws.Region}. Its outputs (no secret in them) tell the deploy jobs their role and bucket:");
        foreach (var command in create)
        {
            console.MarkupLine($"       {Markup.Escape(command)}");
        }

        var step = 2;
        if (protect.Count > 0)
        {
            console.MarkupLine($"  {step++}. Protect {Markup.Escape(string.Join(" and ", protect))} in GitLab (Settings → Repository → Protected branches / Protected tags): the roles admit protected refs only.");
        }

        console.MarkupLine($"  {step}. Commit {KeylessConfig.FileName}, {PipelineFile.Path}, the AWS side and {StackOutputs.DefaultFile}, and push: {Markup.Escape(string.Join("; ", config.Environments.Select(e => $"{string.Join(" or ", e.Refs.Select(r => $"{(r.Type == "branch" ? "a pipeline of the branch" : "a tag")} {r.Pattern}"))} deploys {e.Name}{(e.Manual ? " when started" : "")}")))}.");
    }
}
