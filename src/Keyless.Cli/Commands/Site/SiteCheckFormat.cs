namespace Keyless.Cli.Commands.Site;

public enum SiteCheckFormat
{
    Text,
    Json,
    JUnit,
    CodeQuality,
}
