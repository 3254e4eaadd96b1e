namespace Keyless.Core.Configuration;

/// <summary>A ref a role is meant for: a branch or tag name, where <c>*</c> is a wildcard (<c>tag:v*</c>).</summary>
public sealed record ExpectedRef(string Type, string Pattern)
{
    public override string ToString() => $"{Type}:{Pattern}";
}
