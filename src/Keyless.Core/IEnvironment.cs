namespace Keyless.Core;

/// <summary>Read access to environment variables: the process's in production, a dictionary in tests.</summary>
public interface IEnvironment
{
    /// <summary>The variable's value; null when it is not set.</summary>
    string? Variable(string name);
}

/// <summary>The environment of this process.</summary>
public sealed class ProcessEnvironment : IEnvironment
{
    public static readonly ProcessEnvironment Instance = new();

    private ProcessEnvironment()
    {
    }

    public string? Variable(string name) => Environment.GetEnvironmentVariable(name);
}
