using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Keyless.Core;
using Keyless.Local.Sts;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands.Local;

public sealed class LocalStsSettings : CommandSettings
{
    [CommandOption("--upstream <URL>")]
    [Description("The moto_server this STS fronts, e.g. http://127.0.0.1:5000. Accepted requests and every non-STS request go there.")]
    public string? Upstream { get; init; }

    [CommandOption("--port <N>")]
    [Description("TCP port on 127.0.0.1; 0 (the default) picks a free one.")]
    [DefaultValue(0)]
    public int Port { get; init; }

    [CommandOption("--gitlab-com-keys")]
    [Description("Treat every issuer like gitlab.com: expose project_id, namespace_id, ref_protected, … as condition keys, so a local issuer can stand in for gitlab.com.")]
    public bool GitLabComKeys { get; init; }

    public override ValidationResult Validate() =>
        !HttpUrl.Is(Upstream)
            ? ValidationResult.Error("--upstream URL is required: the moto_server to front, e.g. --upstream http://127.0.0.1:5000.")
            : Port is < 0 or > 65535 ? ValidationResult.Error($"--port {Port}: not a TCP port; give 1-65535, or 0 for a free one.")
            : ValidationResult.Success();
}

/// <summary>
/// <c>keyless local sts</c>: an STS in front of moto that decides AssumeRoleWithWebIdentity like AWS
/// (provider, client IDs, JWKS signature, trust policy) until Ctrl-C; one line per decision, never a token.
/// </summary>
public sealed class LocalStsCommand(IAnsiConsole console, KeylessServices services) : AsyncCommand<LocalStsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LocalStsSettings settings, CancellationToken cancellationToken)
    {
        var sts = await LocalSts.StartAsync(new LocalStsOptions(new Uri(settings.Upstream!)) { Port = settings.Port, GitLabComKeys = settings.GitLabComKeys, Time = services.Time }, cancellationToken);
        await using (sts)
        {
            var output = console.Profile.Out.Writer;
            sts.Decided += decision =>
            {
                lock (output)
                {
                    output.WriteLine($"{decision.Code}: {decision.RoleArn} for {decision.Subject ?? "(no sub)"}: {decision.Message}{(decision.Allowed ? "" : " — " + decision.Detail)}");
                    output.Flush();
                }
            };

            output.WriteLine($"sts: {sts.Url}");
            output.Flush();
            await UntilStopped.WaitAsync(cancellationToken);
        }

        return ExitCodes.Success;
    }
}
