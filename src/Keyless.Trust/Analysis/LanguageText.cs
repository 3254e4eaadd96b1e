using Keyless.Trust.Automata;

namespace Keyless.Trust.Analysis;

public enum ValueSetKind
{
    /// <summary>Every value the claim can take.</summary>
    Any,

    /// <summary>Exactly the listed values (none when the list is empty).</summary>
    Exact,

    /// <summary>The values matching the patterns (IAM StringLike globs), plus the listed exact values.</summary>
    Pattern,

    /// <summary>A set no pattern of the policy denotes: only examples are given.</summary>
    Other,
}

/// <summary>A set of claim values as data: any, an exact list, proven patterns, or examples of another set.</summary>
public sealed record ValueSet(ValueSetKind Kind, IReadOnlyList<string> Values, IReadOnlyList<string> Patterns, bool Finite)
{
    public static readonly ValueSet Any = new(ValueSetKind.Any, [], [], false);

    public static ValueSet Exact(IReadOnlyList<string> values) => new(ValueSetKind.Exact, values, [], true);

    public static ValueSet Matching(IReadOnlyList<string> patterns, IReadOnlyList<string> values) => new(ValueSetKind.Pattern, values, patterns, false);

    public static ValueSet Other(bool finite, IReadOnlyList<string> examples) => new(ValueSetKind.Other, examples, [], finite);

    public override string ToString() => Kind switch
    {
        ValueSetKind.Any => "any",
        ValueSetKind.Exact => Values.Count == 0 ? "none" : Quoted(Values),
        ValueSetKind.Pattern => string.Join(", ", Values.Select(Quote).Concat(Patterns.Select(p => $"matching {Quote(p)}"))),
        _ => $"{(Finite ? "more than 8 values" : "infinitely many values")}, e.g. {Quoted(Values)}",
    };

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(Quote));

    private static string Quote(string value) => $"\"{value}\"";
}

/// <summary>
/// Says what a language of claim values is, in words a person can check: "any", an exact list, or a
/// pattern — and a pattern only once it is proven to denote exactly the language.
/// </summary>
internal static class LanguageText
{
    private const int MaxListed = 8;

    /// <summary>Describes <paramref name="language"/>, a subset of <paramref name="domain"/>.</summary>
    public static ValueSet Describe(Dfa language, Dfa domain, IEnumerable<string> candidatePatterns)
    {
        if (language.IsEmpty)
        {
            return ValueSet.Exact([]);
        }

        if (language.IsFinite)
        {
            var members = language.Enumerate(MaxListed + 1);
            if (members.Count <= MaxListed)
            {
                return ValueSet.Exact(members);
            }
        }

        if (domain.IsSubsetOf(language))
        {
            return ValueSet.Any;
        }

        // Patterns of the policy that lie inside the language, plus the few exact values they leave out.
        var covering = new List<(string Pattern, Dfa Language)>();
        foreach (var pattern in candidatePatterns.Distinct(StringComparer.Ordinal).Where(p => p.Contains('*', StringComparison.Ordinal) || p.Contains('?', StringComparison.Ordinal)))
        {
            var matched = Dfa.Glob(language.Alphabet, pattern).Intersect(domain);
            if (!matched.IsEmpty && matched.IsSubsetOf(language) && covering.All(c => !matched.IsSubsetOf(c.Language)))
            {
                covering.RemoveAll(c => c.Language.IsSubsetOf(matched));
                covering.Add((pattern, matched));
            }
        }

        if (covering.Count > 0)
        {
            var rest = covering.Aggregate(language, (left, c) => left.Minus(c.Language));
            var restMembers = rest.IsFinite ? rest.Enumerate(MaxListed + 1) : [];
            if (rest.IsFinite && restMembers.Count <= MaxListed)
            {
                return ValueSet.Matching([.. covering.Select(c => c.Pattern)], restMembers);
            }
        }

        return ValueSet.Other(language.IsFinite, language.Enumerate(3));
    }

    /// <summary>Glob candidates for the project and ref parts, cut out of the policy's sub values.</summary>
    public static (List<string> Projects, List<string> Refs) SubPatternParts(IEnumerable<string> subValues)
    {
        var projects = new List<string>();
        var refs = new List<string> { "*" };
        foreach (var value in subValues)
        {
            const string projectMarker = "project_path:";
            if (value.StartsWith(projectMarker, StringComparison.Ordinal))
            {
                var rest = value[projectMarker.Length..];
                var end = rest.IndexOf(':', StringComparison.Ordinal);
                var project = end < 0 ? rest : rest[..end];
                projects.Add(project);
                if (!project.EndsWith('*'))
                {
                    projects.Add(project + "*");
                }
            }

            var refAt = value.LastIndexOf(":ref:", StringComparison.Ordinal);
            if (refAt >= 0)
            {
                refs.Add(value[(refAt + ":ref:".Length)..]);
            }
        }

        return (projects, refs);
    }
}
