using Keyless.Trust.Automata;

namespace Keyless.Trust.Analysis;

/// <summary>
/// A product of per-claim languages: the tokens whose every constrained claim lies in its language.
/// Claims not named are unconstrained (their whole domain). A statement's conditions give one box.
/// </summary>
internal sealed class ClaimBox
{
    private readonly Dictionary<string, Dfa> _dims;

    public ClaimBox(ClaimSpace space, IReadOnlyDictionary<string, Dfa>? dims = null)
    {
        Space = space;
        _dims = dims is null ? new(StringComparer.Ordinal) : new(dims, StringComparer.Ordinal);
    }

    public ClaimSpace Space { get; }

    public IEnumerable<string> Claims => _dims.Keys;

    public bool IsEmpty => _dims.Values.Any(d => d.IsEmpty);

    public bool Constrains(string claim) => _dims.ContainsKey(claim);

    public Dfa Get(string claim) => _dims.TryGetValue(claim, out var dfa) ? dfa : Space.Domain(claim);

    public ClaimBox With(string claim, Dfa language)
    {
        var dims = new Dictionary<string, Dfa>(_dims, StringComparer.Ordinal) { [claim] = language.Intersect(Space.Domain(claim)).Minimize() };
        return new ClaimBox(Space, dims);
    }

    public ClaimBox Restrict(string claim, Dfa language) => With(claim, Get(claim).Intersect(language));

    public ClaimBox Intersect(ClaimBox other)
    {
        var result = this;
        foreach (var claim in other.Claims)
        {
            result = result.Restrict(claim, other.Get(claim));
        }

        return result;
    }

    /// <summary>This box less another, as disjoint boxes: peel off one claim at a time.</summary>
    public IEnumerable<ClaimBox> Minus(ClaimBox other)
    {
        var current = this;
        foreach (var claim in other.Claims)
        {
            var outside = current.Get(claim).Minus(other.Get(claim));
            if (!outside.IsEmpty)
            {
                yield return current.With(claim, outside);
            }

            current = current.Restrict(claim, other.Get(claim));
            if (current.IsEmpty)
            {
                yield break;
            }
        }
    }

    /// <summary>The same tokens seen only through some claims: the others become unconstrained.</summary>
    public ClaimBox Project(IReadOnlySet<string> claims) =>
        new(Space, _dims.Where(d => claims.Contains(d.Key)).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal));
}

/// <summary>A union of boxes: the exact set of tokens a role admits from one provider.</summary>
internal sealed class TokenSet(IReadOnlyList<ClaimBox> boxes)
{
    public IReadOnlyList<ClaimBox> Boxes { get; } = boxes.Where(b => !b.IsEmpty).ToList();

    public bool IsEmpty => Boxes.Count == 0;

    public TokenSet Minus(ClaimBox other) => new(Boxes.SelectMany(b => b.Minus(other)).ToList());

    public TokenSet Minus(TokenSet other) => other.Boxes.Aggregate(this, (set, box) => set.Minus(box));

    public TokenSet Project(IReadOnlySet<string> claims) => new(Boxes.Select(b => b.Project(claims)).ToList());

    public TokenSet Restrict(string claim, Dfa language) => new(Boxes.Select(b => b.Restrict(claim, language)).ToList());
}
