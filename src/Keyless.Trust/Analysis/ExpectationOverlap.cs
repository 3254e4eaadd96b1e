using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Analysis;

/// <summary>Whether two expectations share a token: a ref that could deploy to both environments.</summary>
public static class ExpectationOverlap
{
    /// <summary>
    /// Refuses a keyless.json in which one ref may deploy to two environments: production must not trust anything
    /// staging trusts. Proving it needs the automata, so it runs where keyless.json is loaded for use, not in the parser.
    /// </summary>
    public static KeylessConfig VerifyDisjoint(KeylessConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        for (var i = 0; i < config.Environments.Count; i++)
        {
            for (var j = i + 1; j < config.Environments.Count; j++)
            {
                var (a, b) = (config.Environments[i], config.Environments[j]);
                if (Find(RoleExpectation.For(config, a), RoleExpectation.For(config, b)) is { } shared)
                {
                    throw KeylessException.Input($"{config.Source}: at $.environments: the refs of \"{a.Name}\" ({string.Join(", ", a.Refs)}) and \"{b.Name}\" ({string.Join(", ", b.Refs)}) overlap, e.g. {shared}; a ref that may deploy to one environment must not be able to deploy to another. Make the patterns disjoint.");
                }
            }
        }

        return config;
    }

    /// <summary>A sub both expectations admit, or null when they are disjoint.</summary>
    public static string? Find(RoleExpectation first, RoleExpectation second, string issuer = WebIdentityKeys.GitLabComIssuer)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);

        // Every sub spells out the project and the ref type before the ref, and a project path has no ':', so refs of
        // other projects or types never share a token. This answers the usual keyless.json (branches for staging,
        // tags for production) without building automata, which every deploy command would pay for at start-up.
        if (first.Project != second.Project || !first.Refs.Any(a => second.Refs.Any(b => a.Type == b.Type)))
        {
            return null;
        }

        return FindByAutomata(first, second, issuer);
    }

    /// <summary>The exact answer, from the tokens each expectation admits.</summary>
    internal static string? FindByAutomata(RoleExpectation first, RoleExpectation second, string issuer = WebIdentityKeys.GitLabComIssuer)
    {
        var literals = new[] { first, second }.SelectMany(e => e.Refs.Select(r => r.Pattern).Append(e.Project).Append(e.ProjectId ?? "").Append(e.NamespaceId ?? "").Append(e.Audience ?? ""));
        var space = new ClaimSpace(new OidcProvider(issuer, []), clientIdsKnown: false, literals);
        var (a, _) = ExpectationSets.Build(first, space);
        var (b, _) = ExpectationSets.Build(second, space);
        foreach (var left in a.Boxes)
        {
            foreach (var right in b.Boxes)
            {
                var both = left.Intersect(right);
                if (!both.IsEmpty)
                {
                    return both.Get("sub").ShortestMember();
                }
            }
        }

        return null;
    }
}
