using System.Text.Json.Nodes;
using CsCheck;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;
using Keyless.Trust.Tests.Support;

namespace Keyless.Trust.Tests.Evaluation;

/// <summary>
/// Differential test: generated trust policies and request contexts, decided by keyless's evaluator and by the
/// independent <c>@cloud-copilot/iam-simulate</c>. They must agree, except on the cases where the peer is known
/// to diverge from AWS's documentation, each listed in <see cref="KnownPeerDivergence"/> with its reason.
/// </summary>
public sealed class PeerDifferentialTests
{
    private const string Provider = "arn:aws:iam::111122223333:oidc-provider/gitlab.com";

    private static readonly string[] StringKeys = ["gitlab.com:sub", "gitlab.com:user_login", "gitlab.com:project_path"];
    private static readonly string[] NumberKeys = ["gitlab.com:project_id", "gitlab.com:namespace_id"];
    private const string BoolKey = "gitlab.com:ref_protected";
    private const string Amr = "gitlab.com:amr";

    private static readonly string[] StringValues =
        ["acme/app", "acme/*", "acme/ap?", "*", "ACME/APP", "", "mfa", "m*", "${gitlab.com:user_login}", "${gitlab.com:project_path}", "${gitlab.com:nothing, 'acme/app'}", "acme/${*}"];

    private static readonly string[] NumberValues = ["42", "042", "7", "x", "${gitlab.com:namespace_id}"];
    private static readonly string[] BoolValues = ["true", "false", "${gitlab.com:ref_protected}"];
    private static readonly string[] ClaimValues = ["acme/app", "acme/apx", "ACME/APP", "", "mfa", "acme/*"];

    private static readonly string[] BaseOperators =
    [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericGreaterThanEquals", "Bool", "Null",
    ];

    private static readonly Gen<string> Operator =
        Gen.Select(Gen.OneOf<string>(BaseOperators), Gen.OneOf<string>("", "ForAnyValue:", "ForAllValues:"), Gen.Bool)
            .Select((op, qualifier, ifExists) => op == "Null" ? op : qualifier + op + (ifExists ? "IfExists" : ""));

    private static readonly Gen<string> Key = Gen.OneOf<string>([.. StringKeys, .. NumberKeys, BoolKey, Amr, "GitLab.com:SUB"]);

    private static Gen<string> ValueFor(string op) =>
        op == "Null" ? Gen.OneOf<string>("true", "false")
        : op.Contains("Numeric", StringComparison.Ordinal) ? Gen.OneOf<string>(NumberValues)
        : op.EndsWith("Bool", StringComparison.Ordinal) || op.Contains("Bool", StringComparison.Ordinal) ? Gen.OneOf<string>(BoolValues)
        : Gen.OneOf<string>(StringValues);

    /// <summary>One operator block of a Condition element: an operator and one or two keys with one or two values each.</summary>
    private static readonly Gen<(string Operator, JsonObject Keys)> Block =
        Operator.SelectMany(op => Gen.Select(Key, ValueFor(op).Array[1, 2]).Array[1, 2].Select(entries =>
        {
            var keys = new JsonObject();
            foreach (var (key, values) in entries)
            {
                keys[key] = values.Length == 1 ? values[0] : Strings(values);
            }

            return (op, keys);
        }));

    private static readonly Gen<JsonObject> Statement =
        Gen.Select(Gen.Frequency((3, Gen.Const("Allow")), (1, Gen.Const("Deny"))), Block.Array[1, 3]).Select((effect, blocks) =>
        {
            var condition = new JsonObject();
            foreach (var (op, keys) in blocks)
            {
                condition[op] = keys;
            }

            return new JsonObject
            {
                ["Effect"] = effect,
                ["Principal"] = new JsonObject { ["Federated"] = Provider },
                ["Action"] = "sts:AssumeRoleWithWebIdentity",
                ["Condition"] = condition,
            };
        });

    private static readonly Gen<JsonObject> Policy =
        Gen.Select(Gen.Frequency((6, Gen.Const("2012-10-17")), (1, Gen.Const("2008-10-17"))), Statement.Array[1, 2])
            .Select((version, statements) => new JsonObject { ["Version"] = version, ["Statement"] = new JsonArray([.. statements]) });

    /// <summary>A request context: each key absent or with a value; amr, when present, a list of one or two values.</summary>
    private static readonly Gen<JsonObject> Context =
        Gen.Select(
            Gen.OneOf<string>(ClaimValues).Null().Array[StringKeys.Length],
            Gen.OneOf<string>("42", "7", "042").Null().Array[NumberKeys.Length],
            Gen.OneOf<string>("true", "false").Null(),
            Gen.OneOf<string>("mfa", "pwd").Array[1, 2].Null())
        .Select((strings, numbers, protectedRef, amr) =>
        {
            var context = new JsonObject();
            foreach (var (key, value) in StringKeys.Zip(strings).Concat(NumberKeys.Zip(numbers)).Append((BoolKey, protectedRef)))
            {
                if (value is not null)
                {
                    context[key] = value;
                }
            }

            if (amr is not null)
            {
                context[Amr] = Strings(amr.Distinct());
            }

            return context;
        });

    private static readonly Gen<(JsonObject Policy, JsonObject Context)> Case = Gen.Select(Policy, Context);

    [Fact]
    public async Task Should_DecideAsIamSimulateDoes_When_TrustPoliciesAreGenerated()
    {
        // Given batches of generated policies and contexts (one node process per batch)
        var batches = new List<(JsonObject Policy, JsonObject Context)[]>();
        Case.Array[600].Sample(batch => batches.Add(batch), iter: 5, threads: 1);
        var compared = 0;
        var allowed = 0;

        foreach (var batch in batches)
        {
            // When
            var peer = await PeerEvaluator.EvaluateAsync(Provider, [.. batch.Select(c => (JsonNode)new JsonObject { ["policy"] = c.Policy.DeepClone(), ["context"] = c.Context.DeepClone() })]);

            // Then
            var comparable = batch.Zip(peer)
                .Where(pair => KnownPeerDivergence(pair.First.Policy, pair.First.Context) is null)
                .Select(pair => (pair.First.Policy, pair.First.Context, Keyless: Keyless(pair.First.Policy, pair.First.Context), Peer: pair.Second))
                .ToList();
            compared += comparable.Count;
            allowed += comparable.Count(c => c.Keyless == "Allowed");
            var disagreements = comparable
                .Where(c => c.Keyless != c.Peer)
                .Take(5)
                .Select(c => $"keyless {c.Keyless}, iam-simulate {c.Peer}\n  policy  {c.Policy.ToJsonString()}\n  context {c.Context.ToJsonString()}")
                .ToList();
            Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
        }

        // The exclusions leave most cases compared, and both outcomes occur among them.
        Assert.True(compared * 5 >= batches.Sum(b => b.Length) * 2, $"only {compared} of {batches.Sum(b => b.Length)} cases were compared");
        Assert.InRange(allowed, 1, compared - 1);
    }

    [Fact]
    public async Task Should_DisagreeWithIamSimulate_When_AKnownDivergenceApplies()
    {
        // Given one case per listed divergence, so that the list stays true for the pinned peer version
        (JsonObject Policy, JsonObject Context)[] cases =
        [
            (PolicyWith("""{"StringEquals": {"gitlab.com:amr": "mfa"}}"""), new JsonObject { [Amr] = new JsonArray("mfa") }),
            (PolicyWith("""{"ForAllValues:StringEquals": {"gitlab.com:sub": "acme/app"}}"""), new JsonObject { ["gitlab.com:sub"] = "" }),
            (PolicyWith("""{"NumericNotEquals": {"gitlab.com:project_id": "${gitlab.com:namespace_id}"}}"""), new JsonObject { ["gitlab.com:project_id"] = "42", ["gitlab.com:namespace_id"] = "42" }),
            (PolicyWith("""{"StringEquals": {"gitlab.com:sub": "${gitlab.com:project_path}"}}""", "2008-10-17"), new JsonObject { ["gitlab.com:sub"] = "acme/app", ["gitlab.com:project_path"] = "acme/app" }),
            (PolicyWith("""{"StringEquals": {"gitlab.com:sub": "acme/${*}"}}"""), new JsonObject { ["gitlab.com:sub"] = "acme/*" }),
            (PolicyWith("""{"StringNotEquals": {"gitlab.com:sub": "${gitlab.com:project_path}"}}"""), new JsonObject { ["gitlab.com:sub"] = "acme/app" }),
            (PolicyWith("""{"StringEquals": {"gitlab.com:sub": "${gitlab.com:project_path}"}}"""), new JsonObject { ["gitlab.com:sub"] = "", ["gitlab.com:project_path"] = "" }),
        ];

        // When
        var peer = await PeerEvaluator.EvaluateAsync(Provider, [.. cases.Select(c => (JsonNode)new JsonObject { ["policy"] = c.Policy, ["context"] = c.Context })]);

        // Then
        Assert.All(cases.Zip(peer), pair =>
        {
            Assert.NotNull(KnownPeerDivergence(pair.First.Policy, pair.First.Context));
            Assert.NotEqual(Keyless(pair.First.Policy, pair.First.Context), pair.Second);
        });
    }

    /// <summary>
    /// Why the peer's answer may differ from AWS's for this case, or null when it should be the same. Each entry is
    /// explained in docs/aws-semantics.md:
    /// - an operator without a set qualifier on a multivalued key: AWS documents no result; keyless matches when any
    ///   value matches (and <c>trust check</c> warns, KL027), iam-simulate never matches;
    /// - ForAllValues on a key whose value is an empty string: AWS documents it as true (a null dataset),
    ///   iam-simulate compares the empty string like any value;
    /// - a negated Numeric operator with a value that is no number: AWS documents nothing; keyless's comparison
    ///   fails, so the negation holds; iam-simulate fails the whole condition;
    /// - policy variables under a Version other than 2012-10-17: AWS treats them as literal text, iam-simulate
    ///   substitutes them (peer bug);
    /// - the escapes <c>${*}</c>, <c>${?}</c>, <c>${$}</c> in a String operator other than StringLike: AWS turns them
    ///   into the character, iam-simulate does not (peer bug);
    /// - a negated String operator with a policy variable that has no value and no default: AWS documents the
    ///   condition as true (the value matches nothing), iam-simulate fails it (peer bug);
    /// - a policy variable naming a key whose value is the empty string: AWS substitutes the empty string,
    ///   iam-simulate treats it as having no value (peer bug: a falsy-value test).
    /// </summary>
    private static string? KnownPeerDivergence(JsonObject policy, JsonObject context)
    {
        var parsed = PolicyParser.Parse("generated.json", policy.ToJsonString());
        JsonNode? ValueOf(string key) => context.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        bool Present(string key) => ValueOf(key) is not null;

        foreach (var condition in parsed.Statements.SelectMany(s => s.Conditions))
        {
            var op = condition.Operator;
            var value = ValueOf(condition.Key);
            if (value is JsonArray && op.Qualifier == SetQualifier.None && op.Family != OperatorFamily.Null)
            {
                return "operator without a set qualifier on a multivalued key";
            }

            if (op.Qualifier == SetQualifier.ForAllValues && value is JsonValue empty && empty.GetValue<string>().Length == 0)
            {
                return "ForAllValues on an empty string";
            }

            var requestValues = value switch
            {
                JsonArray list => list.Select(v => v!.GetValue<string>()),
                JsonValue single => [single.GetValue<string>()],
                _ => [],
            };
            if (op.Family == OperatorFamily.Numeric && op.Negated && requestValues.Concat(condition.Values.Select(v => v.Raw)).Any(v => !decimal.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out _)))
            {
                return "negated Numeric operator with a value that is no number";
            }

            if (!parsed.VariablesEnabled && condition.Values.Any(v => v.Raw.Contains("${", StringComparison.Ordinal)))
            {
                return "policy variable under Version 2008-10-17";
            }

            if (parsed.VariablesEnabled && op.Family == OperatorFamily.String && op.Comparison == Comparison.Equals
                && condition.Values.Any(v => v.Raw.Contains("${*}", StringComparison.Ordinal) || v.Raw.Contains("${?}", StringComparison.Ordinal) || v.Raw.Contains("${$}", StringComparison.Ordinal)))
            {
                return "escape in a String operator other than StringLike";
            }

            if (op.Family == OperatorFamily.String && op.Negated
                && condition.Values.SelectMany(v => v.Parts).OfType<VariablePart>().Any(v => v.Default is null && !Present(v.Key)))
            {
                return "negated String operator with a variable that has no value";
            }

            if (parsed.VariablesEnabled && op.TakesPolicyVariables
                && condition.Values.SelectMany(v => v.Parts).OfType<VariablePart>().Any(v => ValueOf(v.Key) is JsonValue text && text.GetValue<string>().Length == 0))
            {
                return "policy variable whose value is an empty string";
            }
        }

        return null;
    }

    private static JsonArray Strings(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }

    private static JsonObject PolicyWith(string condition, string version = "2012-10-17") => new()
    {
        ["Version"] = version,
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Federated"] = Provider },
            ["Action"] = "sts:AssumeRoleWithWebIdentity",
            ["Condition"] = JsonNode.Parse(condition),
        }),
    };

    private static string Keyless(JsonObject policy, JsonObject context)
    {
        var request = new RequestContext();
        foreach (var (key, value) in context)
        {
            if (value is JsonArray list)
            {
                request.SetMany(key, [.. list.Select(v => v!.GetValue<string>())]);
            }
            else
            {
                request.Set(key, value!.GetValue<string>());
            }
        }

        var evaluation = PolicyEvaluator.Evaluate(PolicyParser.Parse("generated.json", policy.ToJsonString()), Provider, StsSimulator.AssumeAction, request);
        return evaluation.Allowed ? "Allowed" : evaluation.ExplicitDeny ? "ExplicitlyDenied" : "ImplicitlyDenied";
    }
}
