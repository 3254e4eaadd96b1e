using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>
/// Warnings and notes go to standard error, like errors, so that standard output holds the result alone: the
/// report, the JSON, the token.
/// </summary>
public sealed class Diagnostics(IAnsiConsole errors)
{
    public void Warning(string message) => errors.MarkupLine($"[yellow]warning:[/] {Markup.Escape(message)}");

    public void Note(string message) => errors.MarkupLine($"[grey]note:[/] {Markup.Escape(message)}");
}
