using System.Reflection;
using Keyless.Cli.Commands;
using Keyless.Cli.Commands.Aws;
using Keyless.Cli.Commands.Deploy;
using Keyless.Cli.Commands.Init;
using Keyless.Cli.Commands.Local;
using Keyless.Cli.Commands.Site;
using Keyless.Cli.Commands.Token;
using Keyless.Cli.Commands.Trust;
using Keyless.Cli.Infrastructure;
using Keyless.Cli.Rendering;
using Keyless.Core;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;

namespace Keyless.Cli;

/// <summary>The keyless command line: every verb registered in one place, one exception policy.</summary>
public static class KeylessApp
{
    public static Task<int> RunAsync(IEnumerable<string> args, IAnsiConsole output, IAnsiConsole errors, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, errors, new KeylessServices(), cancellationToken);

    public static Task<int> RunAsync(IEnumerable<string> args, IAnsiConsole output, IAnsiConsole errors, KeylessServices services, CancellationToken cancellationToken = default)
    {
        var app = new CommandApp();
        var joined = JoinStandardInput(args);
        app.Configure(config =>
        {
            Configure(config, output, errors, services);
            config.SetExceptionHandler((exception, _) => HandleException(exception, errors, () => MistypedNames.Hint(Model(services), joined), joined));
        });
        return app.RunAsync(joined, cancellationToken);
    }

    /// <summary>
    /// Spectre's parser reads a lone <c>-</c> as an option without a name, so <c>--claims -</c> (standard input)
    /// would be refused; pass it on as <c>--claims=-</c>, which it reads as the value.
    /// </summary>
    internal static List<string> JoinStandardInput(IEnumerable<string> args)
    {
        var joined = new List<string>();
        foreach (var arg in args)
        {
            if (arg == "-" && joined.Count > 0 && joined[^1].Length > 2 && joined[^1].StartsWith("--", StringComparison.Ordinal) && !joined[^1].Contains('=', StringComparison.Ordinal))
            {
                joined[^1] += "=-";
            }
            else
            {
                joined.Add(arg);
            }
        }

        return joined;
    }

    /// <summary>The commands, options and examples of the command line.</summary>
    public static ICommandModel Model(KeylessServices services)
    {
        var silent = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        return MistypedNames.ReadModel(config => Configure(config, silent, silent, services));
    }

    /// <summary>The version keyless was built as (its assembly's informational version).</summary>
    public static string Version =>
        typeof(KeylessApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static void Configure(IConfigurator config, IAnsiConsole output, IAnsiConsole errors) =>
        Configure(config, output, errors, new KeylessServices());

    public static void Configure(IConfigurator config, IAnsiConsole output, IAnsiConsole errors, KeylessServices services)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.SetApplicationName("keyless");
        config.SetApplicationVersion(Version);
        config.ConfigureConsole(output);
        config.Settings.Registrar.RegisterInstance(output);
        config.Settings.Registrar.RegisterInstance(services);
        config.Settings.Registrar.RegisterInstance(new Diagnostics(errors));
        config.CancellationExitCode(ExitCodes.Cancelled);
        config.SetExceptionHandler((exception, _) => HandleException(exception, errors));
        config.Settings.Registrar.RegisterInstance<ICommandInterceptor>(new MissingValueInterceptor());

        // An unknown or misspelled option is a mistake (exit 2), not something to ignore silently.
        config.UseStrictParsing();

        config.AddCommand<InitCommand>("init")
            .WithDescription("Set up keyless in the repository of a GitLab project: keyless.json and the pipeline, then whom the roles admit and the next steps.")
            .WithExample("init")
            .WithExample("init", "--project-id", "61425730", "--aws-account", "111122223333", "--region", "eu-central-1", "--yes")
            .WithExample("init", "--gitlab-url", "https://gitlab.example.com", "--project", "web/handbook", "--aws-account", "111122223333", "--region", "eu-west-1", "--site", "site", "--yes");
        config.AddBranch("trust", trust =>
        {
            trust.SetDescription("Decide what AWS STS decides for a GitLab ID token, and prove who a trust policy admits.");
            trust.AddCommand<TrustSimulateCommand>("simulate")
                .WithDescription("Compute the exact outcome of AssumeRoleWithWebIdentity for a trust policy and a token's claims.")
                .WithExample("trust", "simulate", "--policy", "examples/trust/good-main-branch.json", "--claims", "examples/trust/claims/main.json", "--provider-url", "https://gitlab.com", "--client-id", "https://gitlab.com", "--now", "1893456000");
            trust.AddCommand<TrustCheckCommand>("check")
                .WithDescription("Compute exactly which GitLab projects and refs each role admits, with findings and witnesses.")
                .WithExample("trust", "check", "examples/trust", "--expect", "examples/trust/expectations/roles.json")
                .WithExample("trust", "check", "cdk.out", "--format", "codequality");
        });

        config.AddBranch("aws", aws =>
        {
            aws.SetDescription("The project's AWS side without the CDK.");
            aws.AddCommand<AwsTemplateCommand>("template")
                .WithDescription("Write the OIDC provider, the deploy roles and the sites of keyless.json as one CloudFormation template, for `aws cloudformation deploy` or the console.")
                .WithExample("aws", "template", "--out", "keyless.template.json");
        });
        config.AddBranch("token", token =>
        {
            token.SetDescription("Look inside a GitLab ID token, and verify it exactly as AWS STS would.");
            token.AddCommand<TokenInspectCommand>("inspect")
                .WithDescription("Decode the job's ID token without verifying it: header, claims, expiry and the sub's project and ref. Never prints the token.")
                .WithExample("token", "inspect")
                .WithExample("token", "inspect", "--token", "token.jwt", "--format", "json");
            token.AddCommand<TokenVerifyCommand>("verify")
                .WithDescription("Verify a token as AWS STS does: JWKS signature by kid, no alg none/HMAC, exact iss, aud in the client-ID list, exp with five minutes' skew.")
                .WithExample("token", "verify", "--token", "token.jwt", "--issuer", "https://gitlab.com", "--client-id", "sts.amazonaws.com")
                .WithExample("token", "verify", "--token=-", "--issuer", "https://gitlab.com", "--jwks", "gitlab-jwks.json", "--client-id", "sts.amazonaws.com", "--format", "json");
        });

        config.AddBranch("local", local =>
        {
            local.SetDescription("The local cloud: a GitLab-shaped OIDC issuer and its tokens, and an STS in front of moto that checks them like AWS.");
            local.AddCommand<LocalIssuerCommand>("issuer")
                .WithDescription("Serve discovery and JWKS on 127.0.0.1 until Ctrl-C; prints `issuer: URL`.")
                .WithExample("local", "issuer")
                .WithExample("local", "issuer", "--port", "8089", "--state", ".keyless");
            local.AddCommand<LocalTokenCommand>("token")
                .WithDescription("Mint a GitLab-shaped ID token signed by the running local issuer's key; prints the token alone.")
                .WithExample("local", "token", "--project", "acme/website", "--ref", "main", "--ref-type", "branch", "--aud", "sts.amazonaws.com")
                .WithExample("local", "token", "--project", "acme/website", "--ref", "v1.0.0", "--ref-type", "tag", "--aud", "sts.amazonaws.com", "--environment", "production", "--protected", "true");
            local.AddCommand<LocalUpCommand>("up")
                .WithDescription("The whole system on this machine: moto, the GitLab issuer, the STS, the stack with IAM enforcement, the real pipeline for the default branch and a release tag, the sites on local URLs.")
                .WithExample("local", "up")
                .WithExample("local", "up", "--detach");
            local.AddCommand<LocalDownCommand>("down")
                .WithDescription("Stop what `keyless local up --detach` started.")
                .WithExample("local", "down");
            local.AddCommand<LocalApplyCommand>("apply")
                .WithDescription("Create in moto what the synthesized template describes (OIDC provider for the local issuer, roles, buckets); idempotent.")
                .WithExample("local", "apply", "--endpoint", "http://127.0.0.1:5000")
                .WithExample("local", "apply", "--template", "cdk.out/Keyless-keyless-demo-website.template.json", "--endpoint", "http://127.0.0.1:5000", "--issuer", "http://127.0.0.1:8089");
            local.AddCommand<LocalStsCommand>("sts")
                .WithDescription("Front a moto_server with an STS that decides AssumeRoleWithWebIdentity like AWS: provider, client IDs, JWKS signature, trust policy.")
                .WithExample("local", "sts", "--upstream", "http://127.0.0.1:5000");
        });
        config.AddBranch("site", site =>
        {
            site.SetDescription("Check and build the static site: links, assets, anchors, mixed content; content-fingerprinted assets and the build manifest.");
            site.AddCommand<SiteCheckCommand>("check")
                .WithDescription("Check every page and stylesheet: parse errors, internal links and assets, #anchors, mixed content, titles, lang, a 404 page, what the CSP blocks.")
                .WithExample("site", "check")
                .WithExample("site", "check", "--site", "site", "--format", "junit", "--output", "site-check.xml");
            site.AddCommand<SiteBuildCommand>("build")
                .WithDescription("Copy the site to the output with CSS, JS, images and fonts renamed after their content, every reference rewritten, and .keyless-build.json.")
                .WithExample("site", "build")
                .WithExample("site", "build", "--site", "site", "--out", "dist");
        });
        config.AddCommand<DeployCommand>("deploy")
            .WithDescription("Publish the built site to S3 by content, assets before pages before the release pointer before deletions, and invalidate the changed entry points in CloudFront.")
            .WithExample("deploy", "--site", "dist", "--env", "staging")
            .WithExample("deploy", "--site", "dist", "--bucket", "acme-www", "--distribution", "E2QWRUHAPOMQZL", "--dry-run", "--format", "json");
        config.AddCommand<RollbackCommand>("rollback")
            .WithDescription("Republish an earlier release from what is still in the bucket, in seconds, without rebuilding.")
            .WithExample("rollback", "--env", "production")
            .WithExample("rollback", "--bucket", "acme-www", "--to", "v1.4.0");
        config.AddCommand<ReleasesCommand>("releases")
            .WithDescription("List the releases in the bucket: id, time, files, bytes, which is live and which can be rolled back to.")
            .WithExample("releases", "--env", "production");
        config.AddCommand<PruneCommand>("prune")
            .WithDescription("Delete what no retained release needs: files removed from the site, old entry-point copies, unknown files under the prefix.")
            .WithExample("prune", "--env", "staging", "--dry-run");
        config.AddCommand<ExecCommand>("exec")
            .WithDescription("Exchange the job's GitLab ID token for short-lived AWS credentials and run a command with them, like aws-vault exec.")
            .WithExample("exec", "--role", "arn:aws:iam::111122223333:role/deploy", "--", "aws", "sts", "get-caller-identity")
            .WithExample("exec", "--policy", "role.json", "--", "aws", "s3", "ls");
    }

    /// <summary>Expected failures print one message; anything else is a bug and prints its stack.</summary>
    /// <remarks><paramref name="args"/> let a parser error about an option's value name the option.</remarks>
    public static int HandleException(Exception exception, IAnsiConsole errors, Func<string?>? hint = null, IReadOnlyList<string>? args = null)
    {
        switch (exception)
        {
            case KeylessException keyless:
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(keyless.Message)}");
                return keyless.Kind == FailureKind.UnusableInput ? ExitCodes.UnusableInput : ExitCodes.Failed;
            case CommandAppException parse when OptionValues.Explain(parse, args ?? []) is { } message:
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
                return ExitCodes.UnusableInput;
            case CommandAppException parse:
                var suggestion = parse is CommandParseException ? hint?.Invoke() : null;
                errors.MarkupLine($"[red]error:[/] {Markup.Escape(parse.Message)}{(suggestion is null ? "" : " " + Markup.Escape(suggestion))} Run `keyless --help` (or the command with --help) for usage.");
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
