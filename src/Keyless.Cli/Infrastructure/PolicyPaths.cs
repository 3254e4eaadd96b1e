using Keyless.Core;

namespace Keyless.Cli.Infrastructure;

/// <summary>A file <c>trust check</c> did not check, and why.</summary>
public sealed record SkippedFile(string File, string Reason);

/// <summary>The files to check, and the files of the named folders left out on purpose.</summary>
public sealed record PolicyFiles(IReadOnlyList<string> Files, IReadOnlyList<SkippedFile> Skipped);

/// <summary>The files of a run left out: on purpose (not policies), or because they could not be read.</summary>
public sealed record CheckInputs(IReadOnlyList<SkippedFile> Skipped, IReadOnlyList<SkippedFile> Unusable);

/// <summary>Expands the PATH arguments of <c>trust check</c> into the files to read.</summary>
public static class PolicyPaths
{
    private static readonly string[] Extensions = [".json", ".yaml", ".yml"];

    // What a CDK cloud assembly (cdk.out) holds besides its *.template.json files.
    private static readonly string[] CloudAssemblyFiles = ["manifest.json", "tree.json", "cdk.out"];

    /// <summary>The files, named as the user named them (a folder's files under the folder's name as given).</summary>
    public static PolicyFiles Expand(IEnumerable<string> paths, InputFiles inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var files = new List<string>();
        var skipped = new List<SkippedFile>();
        foreach (var path in paths)
        {
            var full = inputs.FullPath(path);
            if (File.Exists(full))
            {
                files.Add(path);
            }
            else if (Directory.Exists(full))
            {
                var found = 0;
                foreach (var name in Directory.GetFiles(full).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal))
                {
                    var file = Path.Combine(path, name);
                    if (CloudAssemblyFiles.Contains(name, StringComparer.Ordinal) || name.EndsWith(".assets.json", StringComparison.Ordinal))
                    {
                        skipped.Add(new SkippedFile(file, "CDK cloud assembly metadata, not a template"));
                    }
                    else if (Extensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                    {
                        files.Add(file);
                        found++;
                    }
                    else
                    {
                        skipped.Add(new SkippedFile(file, $"not a .json, .yaml or .yml file"));
                    }
                }

                if (found == 0)
                {
                    throw KeylessException.Input($"{path}: the folder holds no .json, .yaml or .yml files; expected trust policies, `aws iam get-role`/`list-roles` outputs or CloudFormation templates (subfolders are not read).");
                }
            }
            else
            {
                throw KeylessException.Input($"{path}: no such file or folder. Name a trust policy, a template, or a folder such as cdk.out.");
            }
        }

        return new PolicyFiles(files, skipped);
    }
}
