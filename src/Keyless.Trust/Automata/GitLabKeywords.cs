namespace Keyless.Trust.Automata;

/// <summary>The literal texts of the GitLab claim grammar; every <see cref="Alphabet"/> distinguishes their chars.</summary>
internal static class GitLabKeywords
{
    internal const string ProjectPathPrefix = "project_path:";
    internal const string RefTypeInfix = ":ref_type:";
    internal const string RefInfix = ":ref:";
    internal const string Branch = "branch";
    internal const string Tag = "tag";
    internal const string True = "true";
    internal const string False = "false";

    internal static readonly string[] All = [ProjectPathPrefix, RefTypeInfix, RefInfix, Branch, Tag, True, False];
}
