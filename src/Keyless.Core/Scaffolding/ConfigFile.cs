using Keyless.Core.Configuration;

namespace Keyless.Core.Scaffolding;

/// <summary>keyless.json, every setting spelled out, read by the CLI, the pipeline and the AWS side alike.</summary>
public sealed class ConfigFile : IGeneratedFiles
{
    public IEnumerable<GeneratedFile> Files(ProjectSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);

        // No $schema: the schema file is keyless's, not in the user's repository.
        yield return new GeneratedFile(KeylessConfig.FileName, KeylessConfigWriter.Write(setup.Config, schema: null), "the project config");
    }
}
