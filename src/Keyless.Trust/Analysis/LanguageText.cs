using Keyless.Trust.Automata;

namespace Keyless.Trust.Analysis;

/// <summary>
/// Says what a language of claim values is, in words a person can check: "any", an exact list, or a
/// pattern — and a pattern only once it is proven to denote exactly the language.
/// </summary>
internal static class LanguageText
{
    private const int MaxListed = 8;

    /// <summary>Describes <paramref name="language"/>, a subset of <paramref name="domain"/>.</summary>
    public static string Describe(Dfa language, Dfa domain, IEnumerable<string> candidatePatterns)
    {
        if (language.IsEmpty)
        {
            return "none";
        }

        if (language.IsFinite)
        {
            var members = language.Enumerate(MaxListed + 1);
            if (members.Count <= MaxListed)
            {
                return string.Join(", ", members.Select(m => $"\"{m}\""));
            }
        }

        if (domain.IsSubsetOf(language))
        {
            return "any";
        }

        foreach (var pattern in candidatePatterns.Distinct(StringComparer.Ordinal))
        {
            if (Dfa.Glob(language.Alphabet, pattern).Intersect(domain).IsEquivalentTo(language))
            {
                return $"matching \"{pattern}\"";
            }
        }

        var examples = language.Enumerate(3);
        return $"{(language.IsFinite ? "more than " + MaxListed + " values" : "infinitely many values")}, e.g. {string.Join(", ", examples.Select(m => $"\"{m}\""))}";
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
