using Keyless.Core.Scaffolding;
using Keyless.Stack;

namespace Keyless.Cli.Commands.Init;

/// <summary>Every file <c>keyless init</c> generates, producer by producer; a new kind of file is one more producer here.</summary>
internal static class ProjectFiles
{
    public static IReadOnlyList<IGeneratedFiles> Producers { get; } =
    [
        new ConfigFile(),
        new PipelineFile(),
        new AwsSideFiles(),
    ];

    public static IReadOnlyList<GeneratedFile> For(ProjectSetup setup) => [.. Producers.SelectMany(p => p.Files(setup))];
}
