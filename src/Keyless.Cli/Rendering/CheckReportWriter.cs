using System.Text.Json;
using Keyless.Cli.Commands;
using Keyless.Cli.Infrastructure;
using Spectre.Console;
using Rule = Keyless.Core.Findings.Rule;

namespace Keyless.Cli.Rendering;

/// <summary>What a check command found, in every format <see cref="CheckReportSettings"/> offers.</summary>
public abstract class CheckReportWriter
{
    public abstract IReadOnlyList<ReportFinding> Findings { get; }

    public abstract IReadOnlyList<Rule> Rules { get; }

    /// <summary>Where SARIF viewers send a reader for more on the rules, if anywhere.</summary>
    protected virtual string? InformationUri => null;

    public abstract void WriteText(IAnsiConsole console);

    public abstract object Json();

    public abstract string JUnit();

    /// <summary>Prints the report as <paramref name="settings"/> ask: to the console, or to --output and the text report to the console.</summary>
    public void Write(IAnsiConsole console, Diagnostics diagnostics, CheckReportSettings settings, string workingFolder)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(diagnostics);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Output is { } file)
        {
            OutputFiles.Write(file, "--output", workingFolder, Render(settings.Format));
            WriteText(console);
            diagnostics.Note($"{settings.Format.ToString().ToLowerInvariant()} report written to {file}");
        }
        else if (settings.Format == OutputFormat.Text)
        {
            WriteText(console);
        }
        else
        {
            console.Profile.Out.Writer.Write(Render(settings.Format));
        }
    }

    public string Render(OutputFormat format) => format switch
    {
        OutputFormat.Json => Serialize(Json()),
        OutputFormat.CodeQuality => Serialize(CodeQualityReport.From(Findings)),
        OutputFormat.Sarif => Serialize(SarifReport.From(Rules, Findings, InformationUri)),
        OutputFormat.JUnit => JUnit(),
        _ => PlainText(),
    };

    /// <summary>The text report without colours or wrapping, as a file holds it.</summary>
    private string PlainText()
    {
        using var writer = new StringWriter { NewLine = "\n" };
        var plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        plain.Profile.Width = int.MaxValue / 2;
        WriteText(plain);
        return writer.ToString();
    }

    private static string Serialize(object value) => JsonSerializer.Serialize(value, JsonOutput.Options) + "\n";
}
