using Keyless.Trust.Automata;
using Keyless.Trust.Evaluation;

namespace Keyless.Trust.Analysis;

/// <summary>
/// The tokens one provider can issue, as a space of claim values: which claims are condition keys, which
/// are always present in a GitLab token, and the language of each claim's values. All automata of one
/// analysis share this space's alphabet.
/// </summary>
internal sealed class ClaimSpace
{
    // Generic claims AWS would expose but GitLab never puts in its ID tokens: always absent.
    private static readonly HashSet<string> NeverEmittedByGitLab = new(StringComparer.Ordinal) { "amr", "azp", "email", "oaud" };

    private static readonly HashSet<string> NumericClaims = new(StringComparer.Ordinal) { "project_id", "namespace_id", "user_id" };

    private readonly Dictionary<string, Dfa> _domains = new(StringComparer.Ordinal);

    public ClaimSpace(OidcProvider provider, bool clientIdsKnown, IEnumerable<string> literalTexts)
    {
        Provider = provider;
        ClientIdsKnown = clientIdsKnown;
        KeyClaims = WebIdentityKeys.ClaimsFor(provider);
        Alphabet = Alphabet.For(literalTexts.Concat(provider.ClientIds).Concat(Witnesses.Texts).Concat(WebIdentityKeys.RunnerEnvironments).Append(provider.Url));
    }

    public OidcProvider Provider { get; }

    public bool ClientIdsKnown { get; }

    public Alphabet Alphabet { get; }

    public IReadOnlyList<string> KeyClaims { get; }

    /// <summary>Every project path GitLab can put in a sub.</summary>
    public Dfa ProjectPaths => field ??= GitLabGrammar.ProjectPath(Alphabet);

    /// <summary>Every git ref name.</summary>
    public Dfa Refs => field ??= GitLabGrammar.Ref(Alphabet);

    public bool IsGitLabCom => Provider.HasGitLabComKeys;

    /// <summary>Whether the claim is a condition key for this issuer and GitLab always sends it.</summary>
    public bool IsPresent(string claim) => KeyClaims.Contains(claim) && !NeverEmittedByGitLab.Contains(claim);

    public Dfa Domain(string claim)
    {
        if (!_domains.TryGetValue(claim, out var domain))
        {
            domain = claim switch
            {
                "sub" => GitLabGrammar.Sub(Alphabet),
                "aud" when ClientIdsKnown => Dfa.OneOf(Alphabet, Provider.ClientIds),
                "ref_protected" => GitLabGrammar.BooleanString(Alphabet),
                "runner_environment" => Dfa.OneOf(Alphabet, WebIdentityKeys.RunnerEnvironments),
                _ when NumericClaims.Contains(claim) => GitLabGrammar.NumericId(Alphabet),
                _ => GitLabGrammar.NonEmpty(Alphabet),
            };
            _domains[claim] = domain;
        }

        return domain;
    }
}
