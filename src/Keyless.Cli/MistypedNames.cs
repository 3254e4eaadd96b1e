using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Keyless.Cli;

/// <summary>"Did you mean …?" for a mistyped command or option: the closest name the command line has there.</summary>
public static class MistypedNames
{
    /// <summary>The hint for the first command or option of <paramref name="args"/> the model does not know; null when none is close.</summary>
    public static string? Hint(ICommandModel model, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(args);
        ICommandContainer container = model;
        ICommandInfo? command = null;
        foreach (var arg in args.TakeWhile(a => a != "--"))
        {
            if (arg.StartsWith('-'))
            {
                var typed = arg.TrimStart('-').Split('=')[0];
                var options = command?.Parameters.OfType<ICommandOption>().ToList() ?? [];
                var known = options.SelectMany(o => o.LongNames.Concat(o.ShortNames)).Append("help").Append("h").Append("version");
                if (!known.Contains(typed, StringComparer.Ordinal))
                {
                    var names = options.SelectMany(o => o.LongNames).Select(n => "--" + n);
                    return Closest("--" + typed, command is null ? ["--help", "--version"] : names) is { } option ? $"Did you mean {option}?" : null;
                }
            }
            else if (command is null or { IsBranch: true })
            {
                var child = container.Commands.FirstOrDefault(c => c.Name == arg);
                if (child is null)
                {
                    return Closest(arg, container.Commands.Where(c => !c.IsHidden).Select(c => c.Name)) is { } name ? $"Did you mean '{name}'?" : null;
                }

                container = command = child;
            }
        }

        return null;
    }

    /// <summary>
    /// The candidate nearest to <paramref name="typed"/> (edit distance, case ignored, a swap of two neighbours
    /// counting as one edit) if it is near enough to be a typo, or the one candidate that starts with it.
    /// </summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var list = candidates.ToList();
        var allowed = Math.Clamp(typed.Length / 3, 1, 3);
        var nearest = list
            .Select(c => (Name: c, Distance: Distance(typed.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name)
            .FirstOrDefault();
        if (nearest is not null)
        {
            return nearest;
        }

        var extending = list.Where(c => c.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();
        return typed.TrimStart('-').Length >= 3 && extending.Count == 1 ? extending[0] : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>
    /// The command line's model (commands, options, examples) as Spectre builds it from a configuration: it hands
    /// the model only to a help provider, so this asks for help with one that keeps it.
    /// </summary>
    public static ICommandModel ReadModel(Action<IConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var capture = new ModelCapture();
        var app = new CommandApp();
        app.Configure(config =>
        {
            configure(config);
            config.SetHelpProvider(capture);
        });
        app.Run(["--help"]);
        return capture.Model ?? throw new InvalidOperationException("Spectre.Console.Cli did not ask the help provider for help.");
    }

    private sealed class ModelCapture : IHelpProvider
    {
        public ICommandModel? Model { get; private set; }

        public IEnumerable<IRenderable> Write(ICommandModel model, ICommandInfo? command)
        {
            Model = model;
            return [];
        }
    }
}
