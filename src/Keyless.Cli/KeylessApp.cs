using Keyless.Cli.Commands;
using Keyless.Cli.Commands.Trust;
using Keyless.Trust;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli;

/// <summary>The keyless command line: every verb registered in one place, one exception policy.</summary>
public static class KeylessApp
{
    public static Task<int> RunAsync(IEnumerable<string> args, IAnsiConsole output, IAnsiConsole errors, CancellationToken cancellationToken = default)
    {
        var app = new CommandApp();
        app.Configure(config => Configure(config, output, errors));
        return app.RunAsync(args, cancellationToken);
    }

    public static void Configure(IConfigurator config, IAnsiConsole output, IAnsiConsole errors)
    {
        config.SetApplicationName("keyless");
        config.ConfigureConsole(output);
        config.Settings.Registrar.RegisterInstance(output);
        config.CancellationExitCode(ExitCodes.Cancelled);
        config.SetExceptionHandler((exception, _) => HandleException(exception, errors));

        config.AddBranch("trust", trust =>
        {
            trust.SetDescription("Decide what AWS STS decides for a GitLab ID token, and prove who a trust policy admits.");
            trust.AddCommand<TrustSimulateCommand>("simulate")
                .WithDescription("Compute the exact outcome of AssumeRoleWithWebIdentity for a trust policy and a token's claims.")
                .WithExample("trust", "simulate", "--policy", "examples/trust/good-main-branch.json", "--claims", "examples/trust/claims/main.json", "--provider-url", "https://gitlab.com", "--client-id", "https://gitlab.com");
            trust.AddCommand<TrustCheckCommand>("check")
                .WithDescription("Compute exactly which GitLab projects and refs each role admits, with findings and witnesses.")
                .WithExample("trust", "check", "examples/trust", "--expect", "examples/trust/expectations/expect.json")
                .WithExample("trust", "check", "cdk.out", "--format", "codequality");
        });

        config.AddCommand<ExecCommand>("exec")
            .WithDescription("Exchange the job's GitLab ID token for short-lived AWS credentials and run a command with them, like aws-vault exec.")
            .WithExample("exec", "--role", "arn:aws:iam::111122223333:role/deploy", "--", "aws", "sts", "get-caller-identity")
            .WithExample("exec", "--policy", "role.json", "--", "aws", "s3", "ls");
    }

    /// <summary>Expected failures print one message; anything else is a bug and prints its stack.</summary>
    public static int HandleException(Exception exception, IAnsiConsole errors)
    {
        switch (exception)
        {
            case KeylessException keyless:
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(keyless.Message)}");
                return keyless.Kind == FailureKind.UnusableInput ? ExitCodes.UnusableInput : ExitCodes.Failed;
            case CommandAppException parse:
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(parse.Message)} Run `keyless --help` (or the command with --help) for usage.");
                return ExitCodes.UnusableInput;
            case OperationCanceledException:
                errors.MarkupLine("[yellow]cancelled[/]");
                return ExitCodes.Cancelled;
            default:
                errors.MarkupLine("[red]This is a bug in keyless; please report it with the text below.[/]");
                errors.WriteLine(exception.ToString());
                return ExitCodes.Bug;
        }
    }
}
