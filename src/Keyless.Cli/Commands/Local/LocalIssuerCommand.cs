using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Core;
using Keyless.Local.Issuer;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Local;

public sealed class LocalIssuerSettings : StateSettings
{
    [CommandOption("--port <N>")]
    [Description("TCP port on 127.0.0.1; 0 (the default) picks a free one.")]
    [DefaultValue(0)]
    public int Port { get; init; }

    public override ValidationResult Validate() =>
        Port is >= 0 and <= 65535 ? ValidationResult.Success() : ValidationResult.Error($"--port {Port}: not a TCP port; give 1-65535, or 0 for a free one.");
}

/// <summary><c>keyless local issuer</c>: a GitLab-shaped OIDC issuer on 127.0.0.1 until Ctrl-C (or SIGTERM).</summary>
public sealed class LocalIssuerCommand(IAnsiConsole console, KeylessServices services) : AsyncCommand<LocalIssuerSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LocalIssuerSettings settings, CancellationToken cancellationToken)
    {
        var issuer = await LocalIssuer.StartAsync(LocalState.IssuerDirectory(services.StateRoot(settings.State)), settings.Port, services.Time, cancellationToken);
        await using (issuer)
        {
            // One plain line that scripts can read: the URL is the iss of every token and the IAM provider URL.
            console.Profile.Out.Writer.WriteLine($"issuer: {issuer.Url}");
            console.Profile.Out.Writer.Flush();
            await UntilStopped.WaitAsync(cancellationToken);
        }

        return ExitCodes.Success;
    }
}
