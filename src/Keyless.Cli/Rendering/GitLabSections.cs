using System.Globalization;
using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>
/// GitLab's collapsible log sections: <c>\e[0Ksection_start:UNIX:NAME[collapsed=true]\r\e[0KHeader</c> …
/// <c>\e[0Ksection_end:UNIX:NAME\r\e[0K</c>, written as they are, past Spectre's markup.
/// </summary>
public sealed class GitLabSections(IAnsiConsole console, TimeProvider time)
{
    private const string Erase = "\u001b[0K";

    public void Start(string name, string header, bool collapsed = true) =>
        Raw($"{Erase}section_start:{Now()}:{name}{(collapsed ? "[collapsed=true]" : "")}\r{Erase}{header}\n");

    public void End(string name) => Raw($"{Erase}section_end:{Now()}:{name}\r{Erase}\n");

    private string Now() => time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private void Raw(string text)
    {
        var writer = console.Profile.Out.Writer;
        writer.Write(text);
        writer.Flush();
    }
}
