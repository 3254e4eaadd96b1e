using System.Text.RegularExpressions;

namespace Keyless.Local.Pipeline;

/// <summary>The branch or tag a pipeline runs for, as GitLab names it (<c>main</c>, <c>v1.0.0</c>).</summary>
public sealed partial record PipelineRef
{
    private PipelineRef(string name, bool isTag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.StartsWith("refs/", StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal) || name.Any(c => char.IsWhiteSpace(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
        {
            throw new ArgumentException($"\"{name}\" is not a short branch or tag name (git check-ref-format).", nameof(name));
        }

        Name = name;
        IsTag = isTag;
    }

    public string Name { get; }

    public bool IsTag { get; }

    /// <summary><c>branch</c> or <c>tag</c>: the <c>ref_type</c> of GitLab's ID tokens and of keyless.json's refs.</summary>
    public string Type => IsTag ? "tag" : "branch";

    /// <summary>GitLab's <c>CI_COMMIT_REF_SLUG</c>: lower case, every run of characters other than 0-9 and a-z
    /// replaced by <c>-</c>, at most 63 characters, no <c>-</c> at either end.</summary>
    public string Slug
    {
        get
        {
            var slug = NotSlug().Replace(Name.ToLowerInvariant(), "-").TrimStart('-');
            return (slug.Length > 63 ? slug[..63] : slug).TrimEnd('-');
        }
    }

    public static PipelineRef Branch(string name) => new(name, isTag: false);

    public static PipelineRef Tag(string name) => new(name, isTag: true);

    public override string ToString() => $"{Type}:{Name}";

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
