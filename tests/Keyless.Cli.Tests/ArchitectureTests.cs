using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Keyless.Cli.Tests.Infrastructure;

namespace Keyless.Cli.Tests;

/// <summary>The layout docs/architecture.md describes is the one the project files and the built assemblies have.</summary>
public sealed partial class ArchitectureTests
{
    private static readonly string[] Projects =
        ["Keyless.Core", "Keyless.Trust", "Keyless.Identity", "Keyless.Site", "Keyless.Deploy", "Keyless.Local", "Keyless.Cli", "Keyless.Stack", "Keyless.Cdk", "Keyless.Infrastructure"];

    [Fact]
    public void Should_HaveExactlyTheDocumentedProjectReferences_When_ProjectFilesAreRead()
    {
        var documented = DocumentedDependencies();

        Assert.Equal(Projects.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Projects.Order(StringComparer.Ordinal), Directory.GetDirectories(Path.Combine(Repo.Root, "src")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(Projects, project => Assert.Equal(documented[project], ProjectReferences(project)));
    }

    [Fact]
    public void Should_KeepCoreFreeOfPackages_When_ItsProjectAndAssemblyAreRead()
    {
        var project = ProjectFile("Keyless.Core");

        Assert.DoesNotContain(project.Descendants(), e => e.Name.LocalName is "PackageReference" or "FrameworkReference" or "ProjectReference");
        Assert.All(
            typeof(Core.KeylessException).Assembly.GetReferencedAssemblies(),
            reference => Assert.True(IsRuntime(reference), $"Keyless.Core references {reference.Name}"));
    }

    [Fact]
    public void Should_UseAspNetCoreOnlyInTheLocalCloud_When_EveryProjectIsRead()
    {
        var withFramework = Projects.Where(p => ProjectFile(p).Descendants().Any(e => e.Name.LocalName == "FrameworkReference")).ToList();

        Assert.Equal(["Keyless.Local"], withFramework);
        foreach (var assembly in new[] { typeof(Trust.Policies.PolicyDocument).Assembly, typeof(Deploy.SiteDeployer).Assembly, typeof(Identity.IdToken).Assembly, typeof(Site.SiteChecker).Assembly })
        {
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), r => r.Name!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        }
    }

    private static bool IsRuntime(AssemblyName reference) =>
        reference.Name is "netstandard" || reference.Name!.StartsWith("System", StringComparison.Ordinal) || reference.Name.StartsWith("Microsoft.Win32", StringComparison.Ordinal);

    private static Dictionary<string, IReadOnlyList<string>> DocumentedDependencies()
    {
        var page = File.ReadAllText(Path.Combine(Repo.Root, "docs", "architecture.md"));
        return TableRow().Matches(page).ToDictionary(
            m => m.Groups["project"].Value,
            m => (IReadOnlyList<string>)[.. m.Groups["needs"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(n => n != "(nothing)").Select(n => "Keyless." + n).Order(StringComparer.Ordinal)],
            StringComparer.Ordinal);
    }

    private static IReadOnlyList<string> ProjectReferences(string project) =>
        [.. ProjectFile(project).Descendants().Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value)).Order(StringComparer.Ordinal)];

    private static XDocument ProjectFile(string project) => XDocument.Load(Path.Combine(Repo.Root, "src", project, project + ".csproj"));

    [GeneratedRegex(@"^\| (?<project>Keyless\.\w+) \| (?<needs>[^|]+?) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
