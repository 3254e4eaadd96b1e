using System.Globalization;
using System.Text.Json;
using Keyless.Identity;
using Keyless.Trust.Evaluation;
using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>Readable output of <c>keyless token inspect</c> and <c>keyless token verify</c>. Never prints the token.</summary>
public static class TokenText
{
    public static void WriteInspection(IAnsiConsole console, IdToken token, DateTimeOffset now, IReadOnlyList<RoleAccess> access)
    {
        var header = token.Header;
        console.MarkupLine($"[bold]header[/]   alg {Value(header.Algorithm)}, kid {Value(header.KeyId)}, typ {Value(header.Type)}");
        WriteSubject(console, token);
        console.MarkupLine($"[bold]expiry[/]   {Markup.Escape(Expiry(token, now))}");
        console.MarkupLine("[grey]Decoded without verifying the signature: use `keyless token verify` to check it as AWS STS would.[/]");
        console.WriteLine();

        var table = Consoles.Table(console, "claim", "value");
        foreach (var claim in token.Claims.Root.EnumerateObject())
        {
            table.AddRow(Markup.Escape(claim.Name), Markup.Escape(Render(claim.Name, claim.Value)));
        }

        console.Write(table);
        if (access.Count > 0)
        {
            console.WriteLine();
            console.MarkupLine("[bold]would this token get each role?[/] [grey](trust policies only; the signature is not checked here)[/]");
            foreach (var role in access)
            {
                console.MarkupLine($"  {(role.Allowed ? "[green]✓[/]" : "[red]✗[/]")} [bold]{Markup.Escape(role.Role)}[/]: {(role.Allowed ? "yes" : Markup.Escape(role.Decision.ToString()))} — {Markup.Escape(role.Reason)}");
            }
        }
    }

    public static void WriteVerification(IAnsiConsole console, IdTokenVerification result, DateTimeOffset now)
    {
        if (result.Valid)
        {
            console.MarkupLine($"[bold green]valid[/]: {Markup.Escape(result.Message)}");
        }
        else
        {
            console.MarkupLine($"[bold red]{result.Error}[/]: {Markup.Escape(result.Message)}");
        }

        console.MarkupLine($"  [grey]why:[/] {Markup.Escape(result.Detail)}");
        if (result.Token is { } token)
        {
            WriteSubject(console, token, indent: "  ");
            console.MarkupLine($"  [bold]expiry[/]   {Markup.Escape(Expiry(token, now))}");
        }
    }

    /// <summary>"in 59 minutes (2030-01-01 01:00:00 UTC)", "4 minutes ago (…), within AWS's five-minute skew", …</summary>
    public static string Expiry(IdToken token, DateTimeOffset now)
    {
        if (token.Claims.Seconds("exp") is not { } exp)
        {
            return "no exp claim (AWS refuses such a token)";
        }

        var left = exp - now.ToUnixTimeSeconds();
        var when = $"({Timestamp(exp)})";
        if (left >= 0)
        {
            return $"expires in {InWords(left)} {when}";
        }

        var graceLeft = left + 300;
        return graceLeft >= 0
            ? $"expired {InWords(-left)} ago {when}; AWS still accepts it for {InWords(graceLeft)} (five-minute skew)"
            : $"expired {InWords(-left)} ago {when}";
    }

    public static string InWords(long seconds)
    {
        static string Unit(long n, string unit) => $"{n} {unit}{(n == 1 ? "" : "s")}";
        return seconds switch
        {
            < 60 => Unit(seconds, "second"),
            < 3600 => Unit(seconds / 60, "minute") + (seconds % 60 > 0 && seconds < 600 ? " " + Unit(seconds % 60, "second") : ""),
            < 86_400 => Unit(seconds / 3600, "hour") + (seconds % 3600 >= 60 ? " " + Unit(seconds % 3600 / 60, "minute") : ""),
            _ => Unit(seconds / 86_400, "day") + (seconds % 86_400 >= 3600 ? " " + Unit(seconds % 86_400 / 3600, "hour") : ""),
        };
    }

    public static string Timestamp(long seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L)).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static void WriteSubject(IAnsiConsole console, IdToken token, string indent = "")
    {
        var sub = token.Claims.Single("sub");
        if (token.Subject is { } subject)
        {
            var parts = subject.Components.Select(c => $"{Label(c.Key)} [bold]{Markup.Escape(c.Value)}[/]");
            console.MarkupLine($"{indent}[bold]subject[/]  {string.Join(", ", parts)}");
        }
        else
        {
            console.MarkupLine($"{indent}[bold]subject[/]  {(sub is null ? "[red]no sub claim[/]" : Markup.Escape(sub) + " [grey](not a GitLab sub)[/]")}");
        }
    }

    private static string Label(string component) => component switch
    {
        "project_path" => "project",
        "ref_type" => "ref type",
        _ => component.Replace('_', ' '),
    };

    private static string Render(string name, JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        return name is "exp" or "iat" or "nbf" or "auth_time" && value.TryGetInt64(out var seconds)
            ? $"{text} ({Timestamp(seconds)})"
            : text;
    }

    private static string Value(string? value) => value is null ? "[grey](none)[/]" : $"[bold]{Markup.Escape(value)}[/]";
}
