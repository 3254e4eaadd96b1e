using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Deploy.Aws;
using Keyless.Trust.Analysis;

namespace Keyless.Cli;

/// <summary>
/// What the commands reach the outside world through: the environment variables, the clock, HTTP and the
/// deploy connector. The process's by default; tests pass their own and run the whole command line in-process.
/// </summary>
public sealed record KeylessServices
{
    public IEnvironment Environment { get; init; } = ProcessEnvironment.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The folder keyless.json is looked for from (and a relative --config or $KEYLESS_CONFIG is read from).</summary>
    public string WorkingFolder { get; init; } = System.Environment.CurrentDirectory;

    public HttpClient Http { get; init; } = Infrastructure.Http.Shared;

    /// <summary>Opens buckets and distributions; null: AWS, with credentials from <see cref="Environment"/>.</summary>
    public IDeployConnector? Connector { get; init; }

    /// <summary>
    /// The connector to use. The SDK's default credential chain (profiles, instance roles) reads the real
    /// process's environment and files, so it is only consulted when <see cref="Environment"/> is the process's.
    /// </summary>
    public IDeployConnector DeployConnector => Connector
        ?? new AwsConnector(Environment, Http, Time, ReferenceEquals(Environment, ProcessEnvironment.Instance) ? AwsConnector.SdkDefaultChain : null);

    /// <summary>keyless.json by the one rule of <see cref="KeylessConfigFile"/>, its environments proven disjoint; null when there is none.</summary>
    public KeylessConfig? Config(string? option) =>
        KeylessConfigFile.Load(option, Environment.Variable, WorkingFolder) is { } config ? ExpectationOverlap.VerifyDisjoint(config) : null;

    /// <summary>Running in a GitLab CI job: logs get collapsible sections.</summary>
    public bool InGitLabCi => string.Equals(Environment.Variable("GITLAB_CI"), "true", StringComparison.OrdinalIgnoreCase);
}
