using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>
/// The two consoles keyless writes to. In a terminal: colours, tables with borders, progress bars. Redirected (a
/// pipe, a file, a CI log): lines are never wrapped, whatever their length, tables are plain columns and nothing
/// is animated, so that another program, or a person reading a log, gets each line whole.
/// </summary>
public static class Consoles
{
    public static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });

        if (redirected)
        {
            // Spectre wraps every line at the console's width; a pipe has none.
            console.Profile.Width = int.MaxValue;
        }

        return console;
    }

    /// <summary>A table with rounded borders in a terminal, plain aligned columns (no box drawing) otherwise.</summary>
    public static Table Table(IAnsiConsole console, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(console.Profile.Capabilities.Interactive ? TableBorder.Rounded : TableBorder.None);
        foreach (var column in columns)
        {
            table.AddColumn(column);
        }

        return table;
    }
}
