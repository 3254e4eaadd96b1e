namespace Keyless.Trust.Automata;

/// <summary>
/// Languages of GitLab ID token claim values. They over-approximate what GitLab emits: a policy is judged
/// against every value some project could produce, including projects created under older, looser rules.
/// Each language is built once over a base alphabet and re-expressed over the caller's alphabet.
/// </summary>
public static class GitLabGrammar
{
    private const string RefForbiddenChars = " ~^:?*[\\";

    private static readonly Lazy<Alphabet> BaseAlphabet = new(() => Alphabet.For([]));
    private static readonly Lazy<Dfa> BasePathSegment = new(() => BuildPathSegment(BaseAlphabet.Value));
    private static readonly Lazy<Dfa> BaseProjectPath = new(() => BuildProjectPath(BaseAlphabet.Value, BasePathSegment.Value));
    private static readonly Lazy<Dfa> BaseRef = new(() => BuildRef(BaseAlphabet.Value));
    private static readonly Lazy<Dfa> BaseRefType = new(() => Dfa.OneOf(BaseAlphabet.Value, [GitLabKeywords.Branch, GitLabKeywords.Tag]));
    private static readonly Lazy<Dfa> BaseSub = new(() => BuildSub(BaseAlphabet.Value));
    private static readonly Lazy<Dfa> BaseNumericId = new(() => Dfa.CharClass(BaseAlphabet.Value, char.IsAsciiDigit).Plus());
    private static readonly Lazy<Dfa> BaseBooleanString = new(() => Dfa.OneOf(BaseAlphabet.Value, [GitLabKeywords.True, GitLabKeywords.False]));
    private static readonly Lazy<Dfa> BaseNonEmpty = new(() => Dfa.CharClass(BaseAlphabet.Value, static _ => true).Plus());

    /// <summary>
    /// One namespace or project slug: <c>[A-Za-z0-9_.][A-Za-z0-9_.-]*</c>. GitLab's path rule lets a slug start
    /// with <c>.</c> (its PATH_START_CHAR), so this is looser than the documented <c>[A-Za-z0-9_]</c> start.
    /// </summary>
    public static Dfa PathSegment(Alphabet alphabet) => BasePathSegment.Value.Rebase(alphabet);

    /// <summary>A full project path: at least <c>namespace/project</c>; further segments are subgroups.</summary>
    public static Dfa ProjectPath(Alphabet alphabet) => BaseProjectPath.Value.Rebase(alphabet);

    /// <summary>
    /// A branch or tag name as git check-ref-format allows it for a single-level name. The rule against a
    /// component ending in <c>.lock</c> is left out, which only makes the language larger.
    /// </summary>
    public static Dfa Ref(Alphabet alphabet) => BaseRef.Value.Rebase(alphabet);

    /// <summary><c>branch</c> or <c>tag</c>.</summary>
    public static Dfa RefType(Alphabet alphabet) => BaseRefType.Value.Rebase(alphabet);

    /// <summary>The default <c>sub</c> claim: <c>project_path:{path}:ref_type:{branch|tag}:ref:{ref}</c>.</summary>
    public static Dfa Sub(Alphabet alphabet) => BaseSub.Value.Rebase(alphabet);

    /// <summary>Decimal ids such as project_id, namespace_id and user_id: <c>[0-9]+</c>.</summary>
    public static Dfa NumericId(Alphabet alphabet) => BaseNumericId.Value.Rebase(alphabet);

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static Dfa BooleanString(Alphabet alphabet) => BaseBooleanString.Value.Rebase(alphabet);

    /// <summary>Σ+: any non-empty string, for aud and other free-form claims.</summary>
    public static Dfa NonEmpty(Alphabet alphabet) => BaseNonEmpty.Value.Rebase(alphabet);

    /// <summary>Chars of a project path slug.</summary>
    internal static bool IsPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';

    /// <summary>Chars that may start a project path slug.</summary>
    internal static bool IsPathStartChar(char c) => IsPathChar(c) && c != '-';

    /// <summary>Chars git allows anywhere in a ref name (sequence rules aside).</summary>
    internal static bool IsRefChar(char c) => c >= ' ' && c != '\u007f' && !RefForbiddenChars.Contains(c, StringComparison.Ordinal);

    private static Dfa BuildPathSegment(Alphabet alphabet) =>
        Dfa.CharClass(alphabet, IsPathStartChar).Concat(Dfa.CharClass(alphabet, IsPathChar).Star());

    private static Dfa BuildProjectPath(Alphabet alphabet, Dfa segment) =>
        segment.Concat(Dfa.Literal(alphabet, "/").Concat(segment).Plus());

    private static Dfa BuildRef(Alphabet alphabet)
    {
        var candidates = Dfa.CharClass(alphabet, IsRefChar).Plus();
        var forbidden = Dfa.OneOf(alphabet, ["@"]);
        string[] forbiddenShapes = ["*..*", "*//*", "/*", ".*", "*/", "*.", "*/.*", "*@{*"];
        foreach (var shape in forbiddenShapes)
        {
            forbidden = forbidden.Union(Dfa.Glob(alphabet, shape));
        }

        return candidates.Minus(forbidden);
    }

    private static Dfa BuildSub(Alphabet alphabet) => Dfa.Sequence(
        alphabet,
        Dfa.Literal(alphabet, GitLabKeywords.ProjectPathPrefix),
        BaseProjectPath.Value,
        Dfa.Literal(alphabet, GitLabKeywords.RefTypeInfix),
        BaseRefType.Value,
        Dfa.Literal(alphabet, GitLabKeywords.RefInfix),
        BaseRef.Value);
}
