using System.ComponentModel;
using System.Globalization;
using System.Text.RegularExpressions;
using Keyless.Core;
using Spectre.Console.Cli;

namespace Keyless.Cli.Infrastructure;

/// <summary>
/// Turns what the command-line parser says about an option's value ("Failed to convert 'abc' to Int32", or the
/// placeholder it binds to an option given without a value) into one message that names the option, the value
/// and what is expected.
/// </summary>
internal static partial class OptionValues
{
    /// <summary>What Spectre.Console.Cli binds to an option written without its value (<c>--format</c> at the end).</summary>
    public const string MissingValue = "__default_command";

    /// <summary>A better message for a parser error about an option's value, or null when it is about something else.</summary>
    public static string? Explain(CommandAppException exception, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(args);
        var unknown = UnknownCommand().Match(exception.Message);
        if (unknown.Success && args.Count > 0 && args[0] == "exec")
        {
            // exec takes no arguments of its own: the command to run comes after --.
            var command = unknown.Groups["name"].Value;
            return $"keyless exec runs the command written after --, and {command} came before it. Put -- before the command: keyless exec [options] -- {command} ….";
        }

        var conversion = ConversionFailed().Match(exception.Message);
        if (!conversion.Success)
        {
            return null;
        }

        var value = conversion.Groups["value"].Value;
        if (value == MissingValue)
        {
            return NeedsValue(OptionWithoutValue(args));
        }

        var option = OptionOf(value, args) ?? "An option";
        var expected = exception.InnerException is OptionValueException specific
            ? specific.Message
            : conversion.Groups["values"].Success
                ? "one of " + string.Join(", ", conversion.Groups["values"].Value.Split(',').Select(v => v.Trim().Trim('\'').ToLowerInvariant()))
                : Expected(conversion.Groups["type"].Value, value, ValueName(option));
        return $"{option} {Quote(value)}: expected {expected}.";
    }

    /// <summary>The message for an option given without its value.</summary>
    public static string NeedsValue(string? option) =>
        $"{option ?? "An option"} needs a value: write it after the option (--name VALUE or --name=VALUE).";

    private static string Expected(string type, string value, string? valueName) => type switch
    {
        "Int32" or "Int64" or "Nullable`1" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || decimal.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            => $"a whole number from {(type == "Int32" ? int.MinValue : long.MinValue)} to {(type == "Int32" ? int.MaxValue : long.MaxValue)}",
        "Int32" or "Int64" or "Nullable`1" => valueName is null ? "a whole number" : $"{valueName}, a whole number",
        "Boolean" => "true or false",
        _ => "a value of another form (see --help)",
    };

    private static string Quote(string value) => value.Length == 0 ? "\"\"" : value.Length > 80 ? value[..80] + "…" : value;

    // The option the value was given to: `--name value` or `--name=value`.
    private static string? OptionOf(string value, IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && arg[(equals + 1)..] == value)
            {
                return arg[..equals];
            }

            if (equals < 0 && i + 1 < args.Count && args[i + 1] == value)
            {
                return arg;
            }
        }

        return null;
    }

    // The option followed by nothing, or by another option: the parser's placeholder stands for its value.
    private static string? OptionWithoutValue(IReadOnlyList<string> args)
    {
        var flags = Flags.Value;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                break;
            }

            if (args[i].StartsWith("--", StringComparison.Ordinal) && !args[i].Contains('=', StringComparison.Ordinal) && !flags.Contains(args[i])
                && (i + 1 == args.Count || args[i + 1].StartsWith('-')))
            {
                return args[i];
            }
        }

        return null;
    }

    /// <summary>The first option given an empty or blank value (<c>--now ""</c>, <c>--now=</c>), which no option takes.</summary>
    public static string? EmptyValue(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count && args[i] != "--"; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 ? arg[(equals + 1)..].Trim().Length == 0 : !Flags.Value.Contains(arg) && i + 1 < args.Count && args[i + 1].Trim().Length == 0)
            {
                return equals > 0 ? arg[..equals] : arg;
            }
        }

        return null;
    }

    private static string? ValueName(string? option) =>
        Options.Value.FirstOrDefault(o => o.Attribute.LongNames.Any(n => "--" + n == option)).Attribute?.ValueName;

    // Every option of every command, as the settings types declare them.
    private static readonly Lazy<List<(Type Type, CommandOptionAttribute Attribute)>> Options = new(() => [.. typeof(OptionValues).Assembly.GetTypes()
        .Where(t => typeof(CommandSettings).IsAssignableFrom(t))
        .SelectMany(t => t.GetProperties())
        .SelectMany(p => p.GetCustomAttributes(typeof(CommandOptionAttribute), true).Cast<CommandOptionAttribute>().Select(a => (p.PropertyType, a)))]);

    private static readonly Lazy<HashSet<string>> Flags = new(() => Options.Value
        .Where(o => o.Type == typeof(bool))
        .SelectMany(o => o.Attribute.LongNames.Select(n => "--" + n))
        .ToHashSet(StringComparer.Ordinal));

    [GeneratedRegex(@"^Unknown command '(?<name>.*)'\.")]
    private static partial Regex UnknownCommand();

    [GeneratedRegex(@"^Failed to convert '(?<value>.*)' to (?<type>[^.\s]+)\.(?: Valid values are (?<values>.*))?$", RegexOptions.Singleline)]
    private static partial Regex ConversionFailed();
}

/// <summary>Thrown by keyless's own option converters; its message says what the option expects.</summary>
internal sealed class OptionValueException(string expected) : FormatException(expected);

/// <summary>Settings checks that apply to every command: no option left holding the parser's missing-value placeholder.</summary>
internal sealed class MissingValueInterceptor : ICommandInterceptor
{
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        if (OptionValues.EmptyValue(context.Arguments) is { } empty)
        {
            throw KeylessException.Input($"{empty} is empty; give it a value, or leave the option out for its default.");
        }

        foreach (var property in settings.GetType().GetProperties())
        {
            var name = property.GetCustomAttributes(typeof(CommandOptionAttribute), true).Cast<CommandOptionAttribute>().FirstOrDefault()?.LongNames is [var first, ..] ? "--" + first
                : property.GetCustomAttributes(typeof(CommandArgumentAttribute), true).Cast<CommandArgumentAttribute>().FirstOrDefault()?.ValueName;
            if (name is null)
            {
                continue;
            }

            var values = property.GetValue(settings) switch
            {
                string text => [text],
                string[] texts => texts,
                _ => [],
            };
            if (values.Contains(OptionValues.MissingValue))
            {
                throw KeylessException.Input(OptionValues.NeedsValue(name));
            }

            // No option means "nothing" by an empty value: an empty one is a variable that was not set, or a typo.
            if (values.Any(v => v.Trim().Length == 0))
            {
                throw KeylessException.Input($"{name} is empty; give it a value, or leave the option out for its default.");
            }
        }
    }
}

/// <summary>A <c>--format</c> value: one of <paramref name="formats"/>, by its lower-case name.</summary>
public abstract class FormatConverter(params Commands.OutputFormat[] formats) : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        formats.Select(f => (Commands.OutputFormat?)f).FirstOrDefault(f => string.Equals(f.ToString(), value as string, StringComparison.OrdinalIgnoreCase))
        ?? throw new OptionValueException(Expected(formats));

    private static string Expected(Commands.OutputFormat[] formats)
    {
        var names = formats.Select(f => f.ToString().ToLowerInvariant()).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}

/// <summary>The <c>--format</c> of commands that print text or JSON only.</summary>
public sealed class TextOrJsonConverter() : FormatConverter(Commands.OutputFormat.Text, Commands.OutputFormat.Json);

/// <summary>The <c>--format</c> of the check commands: text, JSON or one of the reports GitLab and code-scanning tools read.</summary>
public sealed class ReportFormatConverter() : FormatConverter(Enum.GetValues<Commands.OutputFormat>());
