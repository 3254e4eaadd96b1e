using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Deploy.Aws;
using Keyless.Local.Issuer;
using Keyless.Trust.Analysis;

namespace Keyless.Cli;

/// <summary>
/// What the commands reach the outside world through: the environment variables, the clock, the working folder,
/// standard input, HTTP and the deploy connector. The process's by default; tests pass their own and run the whole
/// command line in-process, several at once.
/// </summary>
public sealed record KeylessServices
{
    public IEnvironment Environment { get; init; } = ProcessEnvironment.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The folder relative paths are relative to (options, variables naming files) and keyless.json is looked for from.</summary>
    public string WorkingFolder { get; init; } = System.Environment.CurrentDirectory;

    /// <summary>What an input named <c>-</c> (<c>--claims -</c>, <c>--token -</c>, <c>--config -</c>) reads.</summary>
    public TextReader StandardInput { get; init; } = Console.In;

    /// <summary>The files the user names, read relative to <see cref="WorkingFolder"/>, <c>-</c> from <see cref="StandardInput"/>.</summary>
    public InputFiles Files => new(WorkingFolder, StandardInput);

    /// <summary>Where <paramref name="path"/>, as the user gave it, is.</summary>
    public string FullPath(string path) => Files.FullPath(path);

    /// <summary>The local state folder, absolute: <c>--state</c>, else <c>$KEYLESS_STATE_DIR</c>, else <c>.keyless</c>.</summary>
    public string StateRoot(string? option) => LocalState.Root(option, Environment.Variable, WorkingFolder);

    /// <summary>The clock of a command: <c>--now UNIX_SECONDS</c> when given, else <see cref="Time"/>.</summary>
    public TimeProvider Clock(long? now) => now is { } seconds ? Identity.FixedTimeProvider.AtUnixSeconds(seconds) : Time;

    public HttpClient Http { get; init; } = Infrastructure.Http.Shared;

    /// <summary>Opens buckets and distributions; null: AWS, with credentials from <see cref="Environment"/>.</summary>
    public IDeployConnector? Connector { get; init; }

    /// <summary>
    /// The connector to use. The SDK's default credential chain (profiles, instance roles) reads the real
    /// process's environment and files, so it is only consulted when <see cref="Environment"/> is the process's.
    /// </summary>
    public IDeployConnector DeployConnector => Connector
        ?? new AwsConnector(Environment, Files, Http, Time, ReferenceEquals(Environment, ProcessEnvironment.Instance) ? AwsConnector.SdkDefaultChain : null);

    /// <summary>keyless.json by the one rule of <see cref="KeylessConfigFile"/>, its environments proven disjoint; null when there is none.</summary>
    public KeylessConfig? Config(string? option) =>
        KeylessConfigFile.Load(option, Environment.Variable, Files) is { } config ? ExpectationOverlap.VerifyDisjoint(config) : null;

    /// <summary>keyless.json for what cannot work without it (<paramref name="need"/>, e.g. an option): none is an input error saying how to provide one.</summary>
    public KeylessConfig RequiredConfig(string? option, string need) => Config(option) ?? throw KeylessConfigFile.Missing(need, WorkingFolder);

    /// <summary>Running in a GitLab CI job: logs get collapsible sections.</summary>
    public bool InGitLabCi => string.Equals(Environment.Variable("GITLAB_CI"), "true", StringComparison.OrdinalIgnoreCase);
}
