using System.Text.Json.Nodes;
using CsCheck;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Evaluation;

/// <summary>Properties of the evaluator over random claim values and patterns.</summary>
public sealed class EvaluationPropertyTests
{
    private static readonly Gen<string> Text = Gen.Char["ab/:*?"].Array[0, 8].Select(chars => new string(chars));
    private static readonly Gen<string> Claim = Gen.Char["ab/:"].Array[0, 8].Select(chars => new string(chars));

    /// <summary>A random pattern, or one made from the claim so that it often matches: a run replaced by <c>*</c>, a character by <c>?</c>.</summary>
    private static Gen<string> PatternFor(string claim) => Gen.OneOf(
        Text,
        Gen.Const(claim),
        Gen.Int[0, claim.Length].SelectMany(i => Gen.Int[i, claim.Length].Select(j => claim[..i] + "*" + claim[j..])),
        claim.Length == 0 ? Gen.Const("*") : Gen.Int[0, claim.Length - 1].Select(i => claim[..i] + "?" + claim[(i + 1)..]));

    private static readonly Gen<(string Claim, string Pattern)> ClaimAndPattern =
        Claim.SelectMany(claim => PatternFor(claim).Select(pattern => (claim, pattern)));

    private static readonly Gen<(string Sub, string Allow, string Deny)> SubAndPatterns =
        Claim.SelectMany(sub => Gen.Select(PatternFor(sub), PatternFor(sub)).Select(p => (sub, p.Item1, p.Item2)));

    private static string Condition(string op, string key, string value) =>
        new JsonObject { [op] = new JsonObject { [key] = value } }.ToJsonString();

    [Fact]
    public void Should_NeverHoldTogether_When_StringLikeAndStringNotLikeShareAValueOnAPresentKey()
    {
        // Given a present single-valued key and one pattern under both operators
        var cases = ClaimAndPattern;

        // When / Then
        cases.Sample((claim, pattern) =>
        {
            var condition = new JsonObject
            {
                ["StringLike"] = new JsonObject { ["gitlab.com:user_login"] = pattern },
                ["StringNotLike"] = new JsonObject { ["gitlab.com:user_login"] = pattern },
            }.ToJsonString();
            var decision = Scenario.GitLabCom(condition).WithToken(t => t.With("user_login", claim)).Simulate();
            var like = decision.Statement().Conditions.Single(c => !c.Condition.Operator.Negated);
            var notLike = decision.Statement().Conditions.Single(c => c.Condition.Operator.Negated);

            Assert.Equal(DecisionCode.AccessDenied, decision.Code);
            Assert.False(like.Satisfied && notLike.Satisfied, $"both hold for \"{claim}\" and \"{pattern}\"");
            Assert.True(like.Satisfied || notLike.Satisfied, $"neither holds for \"{claim}\" and \"{pattern}\"");
        }, iter: 400);
    }

    [Fact]
    public void Should_NeverTurnADenialIntoAnAllow_When_ADenyStatementIsAdded()
    {
        // Given random subs, an Allow pattern and a Deny pattern that often match them
        var cases = SubAndPatterns;

        // When / Then
        cases.Sample((sub, allowPattern, denyPattern) =>
        {
            var without = Scenario.GitLabCom(Condition("StringLike", "gitlab.com:sub", allowPattern))
                .WithToken(t => t.With("sub", sub))
                .Simulate();
            var with = Scenario.GitLabCom(Condition("StringLike", "gitlab.com:sub", allowPattern))
                .WithPolicy(p => p.DenyWhen(Condition("StringLike", "gitlab.com:sub", denyPattern)))
                .WithToken(t => t.With("sub", sub))
                .Simulate();
            var denyApplies = with.Statement(1).Applies;

            Assert.False(with.Allowed && !without.Allowed, $"the Deny \"{denyPattern}\" turned a denial into an allow for \"{sub}\"");
            Assert.False(denyApplies && with.Allowed, $"the applicable Deny \"{denyPattern}\" did not deny \"{sub}\"");
            Assert.Equal(without.Allowed && !denyApplies, with.Allowed);
        }, iter: 400);
    }
}
