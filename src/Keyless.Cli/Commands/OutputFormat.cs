namespace Keyless.Cli.Commands;

public enum OutputFormat
{
    Text,
    Json,
    CodeQuality,
    Sarif,
    JUnit,
}
