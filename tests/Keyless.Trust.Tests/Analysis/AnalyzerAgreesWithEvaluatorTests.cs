using System.Text.Json.Nodes;
using CsCheck;
using Keyless.Trust.Analysis;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Analysis;

/// <summary>
/// The analyzer's admitted set is exact: it admits a GitLab token if and only if the STS evaluator allows
/// it, and every witness it prints is allowed. Policies and tokens are drawn from a small universe of
/// namespaces, projects and refs so that wildcards, negations and Denies collide often.
/// </summary>
public sealed class AnalyzerAgreesWithEvaluatorTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_893_456_000);
    private static readonly OidcProvider GitLab = new("https://gitlab.com", ["https://gitlab.com", "other-audience"]);

    private static readonly string[] Projects = ["acme/website", "acme/site", "acme-evil/website", "acme/sub/website", "other/website"];
    private static readonly string[] Refs = ["main", "main-x", "v1.0.0", "v2.0.0", "feature/x"];
    private static readonly string[] ProjectPatterns = ["acme/website", "acme/*", "acme*", "acme/?ite", "*", "acme/sub/*", "other/website"];
    private static readonly string[] RefPatterns = ["main", "main*", "v*", "v1.*", "*", "feature/*", "?ain"];

    private static readonly Gen<string> SubPattern =
        Gen.Select(Gen.OneOf(ProjectPatterns), Gen.OneOf("branch", "tag", "*"), Gen.OneOf(RefPatterns), Gen.Int[0, 9])
            .Select((project, type, gitRef, shape) => shape switch
            {
                0 => $"project_path:{project}*", // cut after the project part
                1 => $"project_path:{project}:*",
                _ => $"project_path:{project}:ref_type:{type}:ref:{gitRef}",
            });

    private static readonly Gen<(string Operator, string Key, string[] Values)> Condition =
        Gen.OneOf(
            Gen.Select(Gen.OneOf("StringLike", "StringNotLike", "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLikeIfExists"), SubPattern.Array[1, 3])
                .Select((op, values) => (op, "gitlab.com:sub", values)),
            Gen.OneOf(
                ("StringEquals", "gitlab.com:aud", new[] { "https://gitlab.com" }),
                ("StringEquals", "gitlab.com:project_id", ["27182818"]),
                ("StringNotEquals", "gitlab.com:project_id", ["1"]),
                ("StringEquals", "gitlab.com:ref_protected", ["true"]),
                ("Bool", "gitlab.com:ref_protected", ["false"]),
                ("NumericEquals", "gitlab.com:project_id", ["027182818"]),
                ("StringEquals", "gitlab.com:project_path", ["acme/website"]),
                ("StringNotEqualsIfExists", "gitlab.com:ref", ["main"]),
                ("Null", "gitlab.com:sub", ["false"]),
                ("ForAnyValue:StringLike", "gitlab.com:sub", ["project_path:acme/*"])));

    // IAM compares condition key names case-insensitively: half the keys are written in a random mix of cases.
    private static readonly Gen<(string Operator, string Key, string[] Values)> CasedCondition =
        Gen.Select(Condition, Gen.OneOf(Gen.Const(0u), Gen.UInt))
            .Select((condition, bits) => (condition.Operator, Recase(condition.Key, bits), condition.Values));

    private static readonly Gen<JsonObject> Statement =
        Gen.Select(Gen.Int[0, 3], CasedCondition.Array[0, 3])
            .Select((effect, conditions) =>
            {
                var statement = new JsonObject
                {
                    ["Effect"] = effect == 0 ? "Deny" : "Allow",
                    ["Principal"] = new JsonObject { ["Federated"] = "arn:aws:iam::111122223333:oidc-provider/gitlab.com" },
                    ["Action"] = "sts:AssumeRoleWithWebIdentity",
                };
                var block = new JsonObject();
                foreach (var (op, key, values) in conditions)
                {
                    var keys = block[op] as JsonObject ?? new JsonObject();
                    keys[key] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
                    block[op] = keys;
                }

                if (block.Count > 0)
                {
                    statement["Condition"] = block;
                }

                return statement;
            });

    private static readonly Gen<string> Policy =
        Statement.Array[1, 3].Select(statements => new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray([.. statements]),
        }.ToJsonString());

    private static readonly Gen<JsonObject> Token =
        Gen.Select(Gen.OneOf(Projects), Gen.OneOf("branch", "tag"), Gen.OneOf(Refs), Gen.OneOf("27182818", "1"), Gen.Bool, Gen.OneOf("https://gitlab.com", "other-audience"))
            .Select((project, type, gitRef, projectId, isProtected, audience) => new JsonObject
            {
                ["iss"] = "https://gitlab.com",
                ["aud"] = audience,
                ["sub"] = $"project_path:{project}:ref_type:{type}:ref:{gitRef}",
                ["project_path"] = project,
                ["project_id"] = projectId,
                ["namespace_id"] = "3141",
                ["ref"] = gitRef,
                ["ref_type"] = type,
                ["ref_protected"] = isProtected ? "true" : "false",
                ["pipeline_source"] = "push",
                ["user_login"] = "alice",
                ["iat"] = Now.ToUnixTimeSeconds(),
                ["exp"] = Now.ToUnixTimeSeconds() + 300,
            });

    private static string Recase(string key, uint bits) =>
        string.Concat(key.Select((c, i) => ((bits >> (i % 32)) & 1) == 1 ? char.ToUpperInvariant(c) : c));

    [Fact]
    public void Should_AdmitExactlyWhatStsAllows_When_PoliciesAndTokensAreRandom()
    {
        Gen.Select(Policy, Token.Array[8]).Sample((policyJson, tokens) =>
        {
            var policy = PolicyParser.Parse("generated.json", policyJson);
            var analysis = Analyze(policy);
            foreach (var token in tokens)
            {
                var claims = TokenClaims.Parse("token", token.ToJsonString());
                var allowed = Simulate(policy, claims).Allowed;
                Assert.True(allowed == analysis.Admits(claims), $"STS {(allowed ? "allows" : "denies")} {token["sub"]} (aud {token["aud"]}, project_id {token["project_id"]}, ref_protected {token["ref_protected"]}) but the analyzer says the opposite for {policyJson}");
            }
        }, iter: 300);
    }

    [Fact]
    public void Should_PrintOnlyWitnessesStsAllows_When_PoliciesAreRandom()
    {
        Policy.Sample(policyJson =>
        {
            var policy = PolicyParser.Parse("generated.json", policyJson);
            var analysis = Analyze(policy);
            var witnesses = analysis.Findings.Where(f => f.Witness is not null && f.Rule != Rules.AdmitsLess).Select(f => f.Witness!)
                .Concat(analysis.Admitted.Select(g => g.Example));
            foreach (var witness in witnesses)
            {
                var decision = Simulate(policy, TokenClaims.Parse("witness", witness.ToJsonString()));
                Assert.True(decision.Allowed, $"witness {witness["sub"]} is {decision.Code} ({decision.Message}) for {policyJson}");
            }
        }, iter: 300);
    }

    [Fact]
    public void Should_FindNoAdmittedTokenAndReportIt_When_EveryStatementIsDenied()
    {
        // Given
        var policy = PolicyParser.Parse("p.json", """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/gitlab.com"}, "Action": "sts:AssumeRoleWithWebIdentity",
               "Condition": {"StringLike": {"gitlab.com:sub": "project_path:acme/*"}}},
              {"Effect": "Deny", "Principal": "*", "Action": "sts:*", "Condition": {"StringLike": {"gitlab.com:sub": "project_path:acme/*"}}}]}
            """);

        // When
        var analysis = Analyze(policy);

        // Then
        Assert.Contains(analysis.Findings, f => f.Rule == Rules.AdmitsNobody);
        Assert.Empty(analysis.Admitted);
    }

    private static RoleAnalysis Analyze(PolicyDocument policy) =>
        TrustAnalyzer.Analyze(new RoleTrust("role", "generated.json", policy, 3600), [GitLab], null, Now);

    private static StsDecision Simulate(PolicyDocument policy, TokenClaims claims) =>
        StsSimulator.Simulate(new SimulationInput(policy, claims, [GitLab], "111122223333", Now, new AssumeRoleParameters()));
}
