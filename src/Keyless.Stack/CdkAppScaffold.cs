using System.Text.Json;
using System.Text.Json.Nodes;
using Keyless.Core.Configuration;

namespace Keyless.Stack;

/// <summary>A file of the scaffold: its path relative to the project's root, and its text.</summary>
public sealed record ScaffoldFile(string Path, string Content);

/// <summary>
/// A small CDK app in the shape <c>cdk init app --language csharp</c> gives (<c>cdk.json</c> at the root, the app
/// under <c>src/</c>) that synthesizes the project's stack from the Keyless.Cdk package and its <c>keyless.json</c>.
/// </summary>
public static class CdkAppScaffold
{
    public const string PackageId = "Keyless.Cdk";

    public const string AppName = "KeylessAws";

    public static string ProjectPath { get; } = $"src/{AppName}/{AppName}.csproj";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The NuGet configuration of the app, next to <c>cdk.json</c>.</summary>
    public const string NuGetConfigPath = "nuget.config";

    /// <summary>The name of the feed that Keyless.Cdk comes from in <see cref="NuGetConfigPath"/>.</summary>
    public const string FeedKey = "keyless";

    /// <summary>The files, for a project whose <c>keyless.json</c> is <paramref name="config"/>, using <paramref name="packageVersion"/>
    /// of Keyless.Cdk from the NuGet feed <paramref name="packageFeed"/> (the project that publishes keyless).</summary>
    public static IReadOnlyList<ScaffoldFile> Files(KeylessConfig config, string packageVersion, string packageFeed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(packageVersion);
        ArgumentException.ThrowIfNullOrWhiteSpace(packageFeed);
        var cdkJson = new JsonObject
        {
            // cdk synth and cdk deploy run the app from this folder, where keyless.json is found.
            ["app"] = $"dotnet run --project {ProjectPath}",
            ["output"] = "cdk.out",
        };
        return
        [
            new("cdk.json", cdkJson.ToJsonString(Indented) + "\n"),
            new(NuGetConfigPath, NuGetConfig(packageFeed)),
            new(ProjectPath, $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="{PackageId}" Version="{packageVersion}" />
                  </ItemGroup>
                </Project>

                """),
            new($"src/{AppName}/Program.cs", $$"""
                using Keyless.Cdk;

                // The AWS side of {{config.GitLab.Project}}, from keyless.json: the GitLab OIDC provider (or the account's
                // existing one, from $KEYLESS_OIDC_PROVIDER_ARN), and per environment a deploy role and a static site.
                // Prove whom the roles admit before deploying: keyless trust check cdk.out
                return KeylessCdkApp.Run(stack =>
                {
                    // Add constructs of your own to the stack here.
                });

                """),
        ];
    }

    // Keyless.Cdk only from the feed of the project that publishes keyless, everything else only from nuget.org: with
    // package source mapping (https://learn.microsoft.com/nuget/consume-packages/package-source-mapping) a package of
    // the same name on the other source is never picked.
    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
            <add key="{FeedKey}" value="{System.Security.SecurityElement.Escape(feed)}" protocolVersion="3" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
            <packageSource key="{FeedKey}">
              <package pattern="{PackageId}" />
            </packageSource>
          </packageSourceMapping>
        </configuration>

        """;
}
