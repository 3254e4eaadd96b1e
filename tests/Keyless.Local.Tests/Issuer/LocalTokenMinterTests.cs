using CsCheck;
using Keyless.Core;
using Keyless.Identity;
using Keyless.Local.Issuer;
using Keyless.Testing;
using Keyless.Trust.Evaluation;

namespace Keyless.Local.Tests.Issuer;

public sealed class LocalTokenMinterTests
{
    private const string Issuer = "http://127.0.0.1:5999";

    private static readonly string[] GitLabClaims =
    [
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "namespace_id", "namespace_path", "project_id", "project_path",
        "user_id", "user_login", "user_email", "user_access_level", "pipeline_id", "pipeline_source", "job_id",
        "ref", "ref_type", "ref_path", "ref_protected", "runner_id", "runner_environment", "sha", "project_visibility",
        "ci_config_ref_uri", "ci_config_sha",
    ];

    private static readonly string[] EnvironmentClaims = ["environment", "environment_protected", "deployment_tier", "environment_action"];

    private readonly LocalTokenMinter _minter = new(Keys.Issuer, FixedTimeProvider.AtUnixSeconds(Jwt.Now));

    [Fact]
    public void Should_Emit_GitLabs_Claim_Set_With_Ids_As_Strings()
    {
        // When
        var token = IdToken.Decode(_minter.Mint(new MintRequest(Issuer, "acme/platform/website", "v1.4.0", RefType.Tag, "sts.amazonaws.com")));

        // Then
        var claims = token.Claims;
        Assert.All(GitLabClaims, claim => Assert.True(claims.Has(claim), claim));
        Assert.All(EnvironmentClaims, claim => Assert.False(claims.Has(claim), claim));
        Assert.Equal("project_path:acme/platform/website:ref_type:tag:ref:v1.4.0", claims.Single("sub"));
        Assert.Equal("acme/platform", claims.Single("namespace_path"));
        Assert.Equal("refs/tags/v1.4.0", claims.Single("ref_path"));
        Assert.Equal("false", claims.Single("ref_protected"));
        Assert.Equal(Jwt.Now - 5, claims.Seconds("nbf"));
        Assert.Equal(Jwt.Now + 3600, claims.Seconds("exp"));
        Assert.Equal($"127.0.0.1:5999/acme/platform/website//.gitlab-ci.yml@refs/tags/v1.4.0", claims.Single("ci_config_ref_uri"));
        foreach (var id in new[] { "namespace_id", "project_id", "user_id", "pipeline_id", "job_id" })
        {
            Assert.Equal(System.Text.Json.JsonValueKind.String, claims.Root.GetProperty(id).ValueKind);
        }

        Assert.Equal(System.Text.Json.JsonValueKind.Number, claims.Root.GetProperty("runner_id").ValueKind);
        Assert.Equal(new IdTokenHeader("RS256", Keys.Issuer.KeyId, "JWT"), token.Header);
    }

    [Fact]
    public void Should_Add_Environment_Claims_When_An_Environment_Is_Given()
    {
        // When
        var claims = IdToken.Decode(_minter.Mint(new MintRequest(Issuer, "acme/website", "main", RefType.Branch, "aud")
        {
            Environment = "production",
            RefProtected = true,
        })).Claims;

        // Then
        Assert.Equal("production", claims.Single("environment"));
        Assert.Equal("false", claims.Single("environment_protected"));
        Assert.Equal("production", claims.Single("deployment_tier"));
        Assert.Equal("start", claims.Single("environment_action"));
        Assert.Equal("true", claims.Single("ref_protected"));
    }

    [Fact]
    public void Should_Give_A_Project_The_Same_Ids_Every_Time()
    {
        // When
        var first = IdToken.Decode(_minter.Mint(new MintRequest(Issuer, "acme/website", "main", RefType.Branch, "aud"))).Claims;
        var later = new LocalTokenMinter(Keys.Rotated, FixedTimeProvider.AtUnixSeconds(Jwt.Now + 86_400));
        var second = IdToken.Decode(later.Mint(new MintRequest(Issuer, "acme/website", "feature/x", RefType.Branch, "aud"))).Claims;
        var other = IdToken.Decode(_minter.Mint(new MintRequest(Issuer, "acme/other", "main", RefType.Branch, "aud"))).Claims;

        // Then
        Assert.Equal(first.Single("project_id"), second.Single("project_id"));
        Assert.Equal(first.Single("namespace_id"), second.Single("namespace_id"));
        Assert.Equal(first.Single("namespace_id"), other.Single("namespace_id"));
        Assert.NotEqual(first.Single("project_id"), other.Single("project_id"));
    }

    [Theory]
    [InlineData("website", "main")]
    [InlineData("acme/", "main")]
    [InlineData("acme/web site", "main")]
    [InlineData("acme/-website", "main")]
    [InlineData("acme/website.git", "main")]
    [InlineData("acme/website", "")]
    [InlineData("acme/website", "feature..x")]
    [InlineData("acme/website", "has space")]
    [InlineData("acme/website", "colon:ref")]
    [InlineData("acme/website", "ends/")]
    [InlineData("acme/website", "x.lock")]
    [InlineData("acme/website", ".hidden")]
    [InlineData("acme/website", "@")]
    public void Should_Refuse_Bad_Project_Paths_And_Refs(string project, string gitRef)
    {
        // When
        var error = Assert.Throws<KeylessException>(() => _minter.Mint(new MintRequest(Issuer, project, gitRef, RefType.Branch, "aud")));

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
    }

    [Theory]
    [InlineData("production", "production")]
    [InlineData("prd", "production")]
    [InlineData("staging", "staging")]
    [InlineData("review/feature-x", "development")]
    [InlineData("qa", "testing")]
    [InlineData("sandbox", "other")]
    public void Should_Guess_The_Tier_Like_GitLab(string environment, string tier) =>
        Assert.Equal(tier, LocalTokenMinter.GuessTier(environment));

    [Fact]
    public void Should_Mint_Subs_That_Parse_Back_And_Verify_For_Any_GitLab_Project_And_Ref()
    {
        // Given: project paths and refs drawn from GitLab's and git's grammars
        var segment = Gen.Select(
                Gen.Char["abcXYZ019_."],
                Gen.String[Gen.Char["abcxyzABC0189_.-"], 0, 8],
                (first, rest) => first + rest)
            .Where(s => !s.EndsWith(".git", StringComparison.Ordinal) && !s.EndsWith(".atom", StringComparison.Ordinal));
        var project = segment.Array[2, 4].Select(parts => string.Join('/', parts));
        var component = Gen.Select(
                Gen.Char["abcXYZ019_-+=,@#%&()!'\"<>{}|é"],
                Gen.String[Gen.Char["abcXYZ019_-.+=,@#%&é"], 0, 8],
                (first, rest) => first + rest)
            .Where(c => !c.EndsWith('.') && !c.EndsWith(".lock", StringComparison.Ordinal) && !c.Contains("..", StringComparison.Ordinal) && !c.Contains("@{", StringComparison.Ordinal) && c != "@");
        var gitRef = component.Array[1, 3].Select(parts => string.Join('/', parts));
        var refType = Gen.Enum<RefType>();
        using var idp = new FakeIdentityProvider(Issuer) { Published = [Keys.Issuer] };
        var verifier = new IdTokenVerifier(new JwksSource(idp.Client()), FixedTimeProvider.AtUnixSeconds(Jwt.Now));
        var provider = new OidcProvider(Issuer, ["sts.amazonaws.com"]);

        // When / Then
        Gen.Select(project, gitRef, refType).Sample((path, name, type) =>
        {
            Assert.Null(GitLabNames.ProjectPathProblem(path));
            Assert.Null(GitLabNames.RefProblem(name));
            var token = _minter.Mint(new MintRequest(Issuer, path, name, type, "sts.amazonaws.com"));
            var result = verifier.VerifyAsync(token, provider).GetAwaiter().GetResult();
            Assert.True(result.Valid, result.Detail);
            var subject = GitLabSubject.Parse(result.Claims!.Single("sub")!);
            Assert.NotNull(subject);
            Assert.True(subject.IsDefaultShape);
            Assert.Equal(path, subject.ProjectPath);
            Assert.Equal(type == RefType.Branch ? "branch" : "tag", subject.RefType);
            Assert.Equal(name, subject.Ref);
        }, iter: 200, threads: 1);
    }
}
