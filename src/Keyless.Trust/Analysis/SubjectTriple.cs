using Keyless.Trust.Automata;

namespace Keyless.Trust.Analysis;

/// <summary>
/// A part of a <c>sub</c> language in GitLab terms: these projects, this ref type, these refs
/// (<c>project_path:P:ref_type:T:ref:R</c>). A sub language is exactly the union of its triples, because
/// <c>:</c> can occur neither in a project path nor in a git ref.
/// </summary>
internal sealed record SubjectTriple(Dfa Projects, string RefType, Dfa Refs)
{
    public static readonly IReadOnlyList<string> RefTypes = ["branch", "tag"];

    public static IReadOnlyList<SubjectTriple> Decompose(Dfa sub)
    {
        var triples = new List<SubjectTriple>();
        foreach (var split in sub.AfterPrefix("project_path:").SplitAt(':'))
        {
            var afterType = split.Tail.AfterPrefix("ref_type:");
            foreach (var type in RefTypes)
            {
                var refs = afterType.AfterPrefix(type + ":ref:");
                if (!refs.IsEmpty && !split.Head.IsEmpty)
                {
                    triples.Add(new SubjectTriple(split.Head, type, refs));
                }
            }
        }

        return triples;
    }

    public static string Compose(string project, string refType, string gitRef) => $"project_path:{project}:ref_type:{refType}:ref:{gitRef}";
}
