using System.Text;
using System.Text.RegularExpressions;
using Keyless.Core;
using Keyless.Core.Configuration;

namespace Keyless.Deploy.Publishing;

/// <summary>
/// Which Cache-Control each file gets: the first rule whose glob matches, else the default for its kind
/// (fingerprinted: cached for a year and immutable; entry points: <c>no-cache</c>, i.e. revalidated on every
/// use). A glob without <c>/</c> matches the file name in any folder; with <c>/</c>, the path from the site
/// root. <c>*</c> and <c>?</c> stay within a folder, <c>**</c> crosses folders.
/// </summary>
public sealed class CacheControlPolicy
{
    public const string Immutable = "public, max-age=31536000, immutable";
    public const string Revalidate = "no-cache";

    private readonly List<(CacheControlRule Rule, Regex Pattern)> _rules;

    public CacheControlPolicy(IEnumerable<CacheControlRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = [.. rules.Select(rule => (Check(rule), Compile(rule.Files)))];
    }

    public static CacheControlPolicy Default { get; } = new([]);

    public string For(string path, FileKind kind)
    {
        foreach (var (rule, pattern) in _rules)
        {
            if (pattern.IsMatch(path))
            {
                return rule.Value;
            }
        }

        return kind == FileKind.Fingerprinted ? Immutable : Revalidate;
    }

    /// <summary>Parses <c>--cache-control GLOB=VALUE</c>.</summary>
    public static CacheControlRule ParseOption(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && equals < text.Length - 1
            ? new CacheControlRule(text[..equals].Trim(), text[(equals + 1)..].Trim())
            : throw KeylessException.Input($"--cache-control \"{text}\": expected GLOB=VALUE, such as \"*.pdf=public, max-age=3600\".");
    }

    private static CacheControlRule Check(CacheControlRule rule) =>
        rule.Files.Length == 0 || rule.Value.Length == 0 || rule.Value.Any(char.IsControl)
            ? throw KeylessException.Input($"Cache-Control rule \"{rule.Files}\" → \"{rule.Value}\": expected a non-empty glob and a one-line header value such as \"public, max-age=3600\".")
            : rule;

    private static Regex Compile(string glob)
    {
        var anchored = glob.TrimStart('/');
        var pattern = new StringBuilder(glob.Contains('/', StringComparison.Ordinal) ? "^" : "(^|/)");
        for (var i = 0; i < anchored.Length; i++)
        {
            var c = anchored[i];
            if (c == '*' && i + 1 < anchored.Length && anchored[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a trailing "**" everything below.
                var slash = i + 2 < anchored.Length && anchored[i + 2] == '/';
                pattern.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                pattern.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
    }
}
