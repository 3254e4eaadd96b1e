using Keyless.Trust;

namespace Keyless.Cli.Infrastructure;

/// <summary>Expands the PATH arguments of <c>trust check</c> into the JSON files to read.</summary>
public static class PolicyPaths
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                // A CDK output folder holds other JSON (manifest, tree); its templates end in .template.json.
                var templates = Directory.GetFiles(path, "*.template.json").Order(StringComparer.Ordinal).ToList();
                var found = templates.Count > 0 ? templates : [.. Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal)];
                files.AddRange(found.Count > 0 ? found : throw KeylessException.Input($"{path}: the folder holds no .json files; expected trust policies or CloudFormation templates."));
            }
            else
            {
                throw KeylessException.Input($"{path}: no such file or folder. Name a trust policy, a template, or a folder such as cdk.out.");
            }
        }

        return files;
    }
}
