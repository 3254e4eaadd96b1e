using Amazon.CDK;
using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Stack;
using Keyless.Trust.Analysis;

namespace Keyless.Cdk;

/// <summary>
/// A CDK app's <c>Main</c>: reads <c>keyless.json</c> and synthesizes the project's <see cref="KeylessStack"/>, to which
/// the app may add constructs of its own. A config that cannot be used is one message and exit code 2, before
/// jsii starts (which takes seconds).
/// </summary>
public static class KeylessCdkApp
{
    /// <summary>The config file to read instead of the nearest <c>keyless.json</c>.</summary>
    public const string ConfigVariable = KeylessConfigFile.Variable;

    /// <summary>The ARN of an OIDC provider the account already has for the instance; the stack then creates none.</summary>
    public const string ProviderVariable = "KEYLESS_OIDC_PROVIDER_ARN";

    /// <summary>Where to write the cloud assembly; the CDK CLI sets it.</summary>
    public const string OutdirVariable = "CDK_OUTDIR";

    /// <summary>Synthesizes the stack from the process's environment and working folder.</summary>
    /// <param name="extend">Adds the app's own constructs to the stack before synthesis.</param>
    public static int Run(Action<KeylessStack>? extend = null) =>
        Run(System.Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), Console.Error, extend);

    internal static int Run(Func<string, string?> variables, string currentDirectory, TextWriter errors, Action<KeylessStack>? extend = null)
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

        var app = new App(new AppProps { Outdir = variables(OutdirVariable) ?? "cdk.out" });
        var stack = new KeylessStack(app, StackNames.Stack(props.Config.GitLab.Project), props);
        extend?.Invoke(stack);
        app.Synth();
        return ExitCodes.Success;
    }

    internal static KeylessStackProps ReadProps(Func<string, string?> variables, string currentDirectory)
    {
        // The CDK CLI gives the app no input: KEYLESS_CONFIG=- reads nothing.
        var config = KeylessConfigFile.Load(option: null, variables, new InputFiles(currentDirectory, TextReader.Null))
            ?? throw KeylessException.Input($"No {KeylessConfig.FileName} in {currentDirectory} or above (up to the repository root). Run from the project, or set {ConfigVariable}=PATH.");
        ExpectationOverlap.VerifyDisjoint(config);
        return new KeylessStackProps { Config = config, ExistingOidcProviderArn = ExistingProvider.Check(variables(ProviderVariable), config, ProviderVariable) };
    }
}
