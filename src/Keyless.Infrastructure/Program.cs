using Amazon.CDK;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Trust;
using Keyless.Trust.Analysis;
using Keyless.Trust.Evaluation;

namespace Keyless.Infrastructure;

/// <summary>
/// The CDK app: reads <c>keyless.json</c> and synthesizes the project's stack. <c>cdk synth</c> runs it through
/// <c>cdk.json</c>; plain <c>dotnet run --project src/Keyless.Infrastructure</c> synthesizes as well.
/// </summary>
public sealed class Program
{
    /// <summary>The config file to read instead of the nearest <c>keyless.json</c>.</summary>
    public const string ConfigVariable = KeylessConfigFile.Variable;

    /// <summary>The ARN of an OIDC provider the account already has for the instance; the stack then creates none.</summary>
    public const string ProviderVariable = "KEYLESS_OIDC_PROVIDER_ARN";

    /// <summary>Where to write the cloud assembly; the CDK CLI sets it.</summary>
    public const string OutdirVariable = "CDK_OUTDIR";

    private Program()
    {
    }

    public static int Main() =>
        Run(System.Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), Console.Error);

    /// <summary>Synthesizes the stack; a config that cannot be used is one message on <paramref name="errors"/> and exit code 2.</summary>
    internal static int Run(Func<string, string?> variables, string currentDirectory, TextWriter errors)
    {
        KeylessStackProps props;
        try
        {
            props = ReadProps(variables, currentDirectory);
        }
        catch (KeylessException e)
        {
            errors.WriteLine(e.Message);
            return ExitCodes.UnusableInput;
        }

        // The config is checked before the app starts: starting jsii takes seconds.
        var app = new App(new AppProps { Outdir = variables(OutdirVariable) ?? "cdk.out" });
        _ = new KeylessStack(app, Names.Stack(props.Config.GitLab.Project), props);
        app.Synth();
        return ExitCodes.Success;
    }

    internal static KeylessStackProps ReadProps(Func<string, string?> variables, string currentDirectory)
    {
        // The CDK CLI gives the app no input: KEYLESS_CONFIG=- reads nothing.
        var config = KeylessConfigFile.Load(option: null, variables, new InputFiles(currentDirectory, TextReader.Null))
            ?? throw KeylessException.Input($"No {KeylessConfig.FileName} in {currentDirectory} or above (up to the repository root). Run from the project, or set {ConfigVariable}=PATH.");
        ExpectationOverlap.VerifyDisjoint(config);
        return new KeylessStackProps { Config = config, ExistingOidcProviderArn = ExistingProvider(variables(ProviderVariable), config) };
    }

    private static string? ExistingProvider(string? arn, KeylessConfig config)
    {
        if (string.IsNullOrEmpty(arn))
        {
            return null;
        }

        var expected = DeployTrustPolicy.ProviderArn(config);
        return OidcProvider.ParseArn(arn) is var (account, prefix) && account == config.Aws.Account && prefix == config.GitLab.KeyPrefix
            ? arn
            : throw KeylessException.Input($"{ProviderVariable}={arn}: not the provider for {config.GitLab.Url} in account {config.Aws.Account} of {config.Source}; expected {expected}. Unset it to create the provider.");
    }
}
