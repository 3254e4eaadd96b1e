using Keyless.Core;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Policies;

/// <summary>
/// Input errors: a <see cref="KeylessException"/> of kind <see cref="FailureKind.UnusableInput"/> whose message
/// names the source, the JSON path, what was found and what was expected.
/// </summary>
public sealed class PolicyParserErrorTests
{
    private const string Principal = "\"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/gitlab.com\"}";

    private static KeylessException ParseFails(string json)
    {
        var error = Assert.Throws<KeylessException>(() => PolicyParser.Parse("trust.json", json));
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        return error;
    }

    private static string Policy(string statementBody) =>
        "{\"Version\": \"2012-10-17\", \"Statement\": [{" + statementBody + "}]}";

    [Fact]
    public void Should_NameTheSourceAndLine_When_JsonIsMalformed()
    {
        // Given a missing comma on line 3
        const string json = "{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}";

        // When
        var error = ParseFails(json);

        // Then
        Assert.StartsWith("trust.json: not valid JSON (line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_NameThePath_When_TopLevelElementIsUnknown()
    {
        // Given a misspelt Statement
        var json = """{"Version": "2012-10-17", "Statment": []}""";

        // When
        var error = ParseFails(json);

        // Then
        Assert.Equal("trust.json: at $.Statment: found the element \"Statment\"; expected only Version, Id and Statement at the top of a policy.", error.Message);
    }

    [Fact]
    public void Should_NameThePath_When_StatementElementIsUnknown()
    {
        // Given "Conditions" instead of "Condition"
        var json = Policy(Principal + """, "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Conditions": {}""");

        // When
        var error = ParseFails(json);

        // Then
        Assert.StartsWith("trust.json: at $.Statement[0].Conditions: found the element \"Conditions\"; expected one of ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Condition", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StringEqualz")]
    [InlineData("NullIfExists")]
    [InlineData("ForAllValues:Null")]
    [InlineData("stringequals")]
    public void Should_NameTheOperator_When_ConditionOperatorIsUnknown(string op)
    {
        // Given
        var json = Policy(Principal + $$$""", "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"{{{op}}}": {"gitlab.com:sub": "x"}}""");

        // When
        var error = ParseFails(json);

        // Then
        Assert.StartsWith($"trust.json: at $.Statement[0].Condition.{op}: found the operator \"{op}\"; expected a condition operator", error.Message, StringComparison.Ordinal);
        Assert.Contains("StringEquals", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("ALLOW")]
    [InlineData("Permit")]
    public void Should_NameTheEffect_When_EffectIsNotAllowOrDeny(string effect)
    {
        // Given
        var json = Policy(Principal + $$$""", "Effect": "{{{effect}}}", "Action": "sts:AssumeRoleWithWebIdentity" """);

        // When
        var error = ParseFails(json);

        // Then
        Assert.Equal($"trust.json: at $.Statement[0].Effect: found \"{effect}\"; expected \"Allow\" or \"Deny\" (case-sensitive).", error.Message);
    }

    [Fact]
    public void Should_ReportAnInputError_When_EffectIsNotAString()
    {
        // Given
        var json = Policy(Principal + """, "Effect": true, "Action": "sts:AssumeRoleWithWebIdentity" """);

        // When
        var error = ParseFails(json);

        // Then
        Assert.Equal("trust.json: at $.Statement[0].Effect: found the boolean true; expected \"Allow\" or \"Deny\" (case-sensitive).", error.Message);
    }

    [Fact]
    public void Should_NameTheValue_When_NullOperatorValueIsNotABoolean()
    {
        // Given
        var json = Policy(Principal + """, "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"Null": {"gitlab.com:sub": "yes"}}""");

        // When
        var error = ParseFails(json);

        // Then
        Assert.StartsWith("trust.json: at $.Statement[0].Condition.Null[\"gitlab.com:sub\"]: found \"yes\"; expected \"true\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Refuse_When_StatementHasBothActionAndNotAction()
    {
        // Given
        var json = Policy(Principal + """, "Effect": "Allow", "Action": "sts:*", "NotAction": "sts:TagSession" """);

        // When
        var error = ParseFails(json);

        // Then
        Assert.Equal("trust.json: at $.Statement[0]: found both Action and NotAction; expected exactly one of Action or NotAction.", error.Message);
    }

    [Fact]
    public void Should_NameThePath_When_ClaimsAreNotAnObject()
    {
        // Given a list where the decoded payload should be
        const string json = """[{"iss": "https://gitlab.com"}]""";

        // When
        var error = Assert.Throws<KeylessException>(() => TokenClaims.Parse("claims.json", json));

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.Equal("claims.json: at $: found a list; expected a JSON object of claims (the decoded token payload).", error.Message);
    }

    [Fact]
    public void Should_NameTheSource_When_ClaimsAreMalformedJson()
    {
        // Given
        const string json = """{"iss": "https://gitlab.com",}""";

        // When
        var error = Assert.Throws<KeylessException>(() => TokenClaims.Parse("claims.json", json));

        // Then
        Assert.Equal(FailureKind.UnusableInput, error.Kind);
        Assert.StartsWith("claims.json: not valid JSON (line 1)", error.Message, StringComparison.Ordinal);
    }
}
