using Keyless.Core;
using Keyless.Testing;

namespace Keyless.Identity.Tests;

public sealed class IdTokenTests
{
    [Fact]
    public void Should_Decode_Header_And_Claims_Without_Verifying()
    {
        // Given: signed by a key nobody trusts, which decoding does not care about
        var token = Jwt.Sign(Keys.Attacker, Jwt.Claims());

        // When
        var decoded = IdToken.Decode(token);

        // Then
        Assert.Equal(new IdTokenHeader("RS256", Keys.Attacker.KeyId, "JWT"), decoded.Header);
        Assert.Equal("acme/website", decoded.Claims.Single("project_path"));
        Assert.Equal(Jwt.Now + 3600, decoded.Claims.Seconds("exp"));
        Assert.Equal("acme/website", decoded.Subject!.ProjectPath);
        Assert.Equal(token.Length, decoded.Length);
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("abc.def", "it has 2 dot-separated parts")]
    [InlineData("a.b.c.d.e", "encrypted token (JWE")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.!!!!.c2ln", "its payload is not valid base64url")]
    [InlineData("bm90IGpzb24.eyJpc3MiOiJ4In0.c2ln", "its header is not valid JSON")]
    [InlineData("WyJ4Il0.eyJpc3MiOiJ4In0.c2ln", "its header is a JSON array, not an object")]
    [InlineData("eyJhbGciOjF9.eyJpc3MiOiJ4In0.c2ln", "header field \"alg\" is a JSON number")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln!", "its signature (third part) is not valid base64url")]
    public void Should_Refuse_Malformed_Tokens_Without_Repeating_Them(string token, string expected)
    {
        // When
        var error = Assert.Throws<KeylessException>(() => IdToken.Decode(token));

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        if (token.Length > 0)
        {
            Assert.DoesNotContain(token, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("project_path:acme/web:ref_type:branch:ref:main", "acme/web", "branch", "main")]
    [InlineData("project_path:a/b/c:ref_type:tag:ref:v1.2.3", "a/b/c", "tag", "v1.2.3")]
    [InlineData("project_path:acme/web:ref:feature/x:ref_type:branch", "acme/web", "branch", "feature/x")]
    [InlineData("project_path:acme/web:ref_type:branch", "acme/web", "branch", null)]
    public void Should_Split_GitLab_Subjects(string sub, string project, string refType, string? gitRef)
    {
        // When
        var subject = GitLabSubject.Parse(sub);

        // Then
        Assert.NotNull(subject);
        Assert.Equal(project, subject.ProjectPath);
        Assert.Equal(refType, subject.RefType);
        Assert.Equal(gitRef, subject.Ref);
        Assert.Equal(sub, subject.ToString());
    }

    [Theory]
    [InlineData("repo:octo/app:ref:refs/heads/main")]
    [InlineData("project_path:acme/web:ref_type")]
    [InlineData("6f391965-7d86-4a08-8335-00f0c9508303")]
    public void Should_Not_Split_Subjects_That_Are_Not_GitLab_Shaped(string sub) =>
        Assert.Null(GitLabSubject.Parse(sub));
}
