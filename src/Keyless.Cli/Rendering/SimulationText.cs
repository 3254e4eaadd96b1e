using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;
using Spectre.Console;

namespace Keyless.Cli.Rendering;

/// <summary>The readable trace of a simulation: token checks, then each statement and condition.</summary>
public static class SimulationText
{
    public static void Write(IAnsiConsole console, RoleTrust role, StsDecision decision)
    {
        var colour = decision.Allowed ? "green" : "red";
        console.MarkupLine($"[bold {colour}]{decision.Code}[/] for role [bold]{Markup.Escape(role.Name)}[/]: {Markup.Escape(decision.Message)}");
        console.WriteLine();

        foreach (var check in decision.Checks)
        {
            console.MarkupLine($"  {Mark(check.Passed)} {Markup.Escape(check.Name)}: {Markup.Escape(check.Detail)}");
        }

        foreach (var evaluation in decision.Evaluations)
        {
            console.WriteLine();
            console.MarkupLine($"[bold]{Markup.Escape(evaluation.Action)}[/]: {(evaluation.Allowed ? "[green]allowed[/]" : evaluation.ExplicitDeny ? "[red]denied by an explicit Deny[/]" : "[red]no statement allows it (implicit deny)[/]")}");
            foreach (var statement in evaluation.Statements)
            {
                WriteStatement(console, statement);
            }
        }
    }

    private static void WriteStatement(IAnsiConsole console, StatementResult result)
    {
        var statement = result.Statement;
        var verdict = result.Applies ? (statement.Effect == Effect.Deny ? "[red]applies (Deny)[/]" : "[green]applies (Allow)[/]") : "[grey]does not apply[/]";
        console.MarkupLine($"  {Markup.Escape(statement.Effect.ToString())} {Markup.Escape(statement.Label)}: {verdict}");
        console.MarkupLine($"    {Mark(result.PrincipalMatched)} principal {(result.PrincipalMatched ? "names the token's provider" : "does not name the token's provider (" + Markup.Escape(string.Join(", ", statement.Principal.Federated.Concat(statement.Principal.Others))) + ")")}");
        console.MarkupLine($"    {Mark(result.ActionMatched)} {(statement.Actions.Negated ? "NotAction" : "Action")} [[{Markup.Escape(string.Join(", ", statement.Actions.Patterns))}]]");
        foreach (var condition in result.Conditions)
        {
            console.MarkupLine($"    {Mark(condition.Satisfied)} {Markup.Escape(condition.Condition.ToString())}");
            console.MarkupLine($"        {Markup.Escape(condition.Reason)}");
        }
    }

    private static string Mark(bool passed) => passed ? "[green]✓[/]" : "[red]✗[/]";
}
