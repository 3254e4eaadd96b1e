using System.ComponentModel;
using Keyless.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Keyless.Cli.Commands;

// Spectre.Console.Cli composes settings by inheritance only, so an option several commands take is declared
// once here, in a class their settings derive from: one name, one help text and one check for each.

/// <summary><c>--format text|json</c>: the commands that print a result.</summary>
public abstract class FormatSettings : CommandSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("text or json.")]
    [TypeConverter(typeof(TextOrJsonConverter))]
    [DefaultValue(OutputFormat.Text)]
    public OutputFormat Format { get; init; } = OutputFormat.Text;
}

/// <summary><c>--now</c> as well: the commands that judge a token's times or build a token's witnesses.</summary>
public abstract class ClockSettings : FormatSettings
{
    [CommandOption("--now <UNIX_SECONDS>")]
    [Description("Judge the token's times (iat, nbf, exp) as of this time, in Unix seconds, instead of the clock.")]
    public long? Now { get; init; }

    public override ValidationResult Validate() => UnixTime.Validate(Now);
}

/// <summary><c>--token</c> as well: the commands that read a job's ID token.</summary>
public abstract class TokenSettings : ClockSettings
{
    [CommandOption("--token <FILE>")]
    [Description("File holding the ID token; - reads standard input. Defaults to $KEYLESS_ID_TOKEN (the token), else the file $AWS_WEB_IDENTITY_TOKEN_FILE names.")]
    public string? Token { get; init; }
}

/// <summary>The report of a check command, in any of the machine formats GitLab reads, to the console or a file.</summary>
public abstract class CheckReportSettings : CommandSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("text, json, codequality (GitLab Code Quality, for artifacts:reports:codequality), sarif (SARIF 2.1.0) or junit (for artifacts:reports:junit).")]
    [TypeConverter(typeof(ReportFormatConverter))]
    [DefaultValue(OutputFormat.Text)]
    public OutputFormat Format { get; init; } = OutputFormat.Text;

    [CommandOption("--output <FILE>")]
    [Description("Write the report in --format to FILE, and the text report to the console.")]
    public string? Output { get; init; }
}

/// <summary><c>--state</c>: the local-cloud commands, which keep their keys, records and logs in the state folder.</summary>
public abstract class StateSettings : CommandSettings
{
    [CommandOption("--state <DIR>")]
    [Description("Keyless's state folder (default $KEYLESS_STATE_DIR, else ./.keyless): the local issuer's key and records, the local cloud's logs.")]
    public string? State { get; init; }
}
