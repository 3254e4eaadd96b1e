using Keyless.Deploy.Aws;
using Keyless.Identity.Exchange;

namespace Keyless.Cli;

/// <summary>
/// What the commands reach the outside world through: the environment variables, the clock, HTTP and the
/// deploy connector. The process's by default; tests pass their own and run the whole command line in-process.
/// </summary>
public sealed record KeylessServices
{
    public IEnvironment Environment { get; init; } = ProcessEnvironment.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public HttpClient Http { get; init; } = Infrastructure.Http.Shared;

    /// <summary>Opens buckets and distributions; null: AWS, with credentials from <see cref="Environment"/>.</summary>
    public IDeployConnector? Connector { get; init; }

    /// <summary>
    /// The connector to use. The SDK's default credential chain (profiles, instance roles) reads the real
    /// process's environment and files, so it is only consulted when <see cref="Environment"/> is the process's.
    /// </summary>
    public IDeployConnector DeployConnector => Connector
        ?? new AwsConnector(Environment, Http, Time, ReferenceEquals(Environment, ProcessEnvironment.Instance) ? AwsConnector.SdkDefaultChain : null);

    /// <summary>Running in a GitLab CI job: logs get collapsible sections.</summary>
    public bool InGitLabCi => string.Equals(Environment.Variable("GITLAB_CI"), "true", StringComparison.OrdinalIgnoreCase);
}
