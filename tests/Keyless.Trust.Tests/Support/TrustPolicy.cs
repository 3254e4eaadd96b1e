using System.Text.Json;
using System.Text.Json.Nodes;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Tests.Support;

/// <summary>
/// Builds a role trust policy as JSON: by default one Allow statement for the gitlab.com provider of
/// <see cref="Account"/>, action sts:AssumeRoleWithWebIdentity, and <c>StringEquals gitlab.com:sub</c> on
/// <see cref="DefaultSub"/>. Each override replaces one part, written in IAM's own JSON.
/// </summary>
public sealed class TrustPolicy
{
    public const string Account = "111122223333";
    public const string DefaultSub = "project_path:acme/app:ref_type:branch:ref:main";
    public const string Source = "policy.json";

    private readonly List<JsonObject> _extraStatements = [];
    private string? _version = "2012-10-17";
    private string _effect = "Allow";
    private JsonNode _principal;
    private string _actionElement = "Action";
    private JsonNode _action = JsonValue.Create("sts:AssumeRoleWithWebIdentity");
    private JsonObject? _condition;
    private bool _statementAsObject;

    private TrustPolicy(string keyPrefix)
    {
        KeyPrefix = keyPrefix;
        _principal = new JsonObject { ["Federated"] = ProviderArn(keyPrefix) };
        _condition = new JsonObject { ["StringEquals"] = new JsonObject { [$"{keyPrefix}:sub"] = DefaultSub } };
    }

    /// <summary>The provider URL without https://, used in the principal ARN and the default sub key.</summary>
    public string KeyPrefix { get; }

    public static TrustPolicy GitLabCom() => new("gitlab.com");

    public static TrustPolicy For(string keyPrefix) => new(keyPrefix);

    public static string ProviderArn(string keyPrefix = "gitlab.com", string account = Account) =>
        $"arn:aws:iam::{account}:oidc-provider/{keyPrefix}";

    /// <summary>The policy language version; null leaves the element out.</summary>
    public TrustPolicy Version(string? version)
    {
        _version = version;
        return this;
    }

    public TrustPolicy Effect(string effect)
    {
        _effect = effect;
        return this;
    }

    /// <summary>Replaces the first statement's Condition element, e.g. <c>{"StringLike": {"gitlab.com:sub": "…"}}</c>.</summary>
    public TrustPolicy Condition(string conditionJson)
    {
        _condition = Parse(conditionJson).AsObject();
        return this;
    }

    public TrustPolicy NoCondition()
    {
        _condition = null;
        return this;
    }

    /// <summary>Replaces the Principal element, e.g. <c>"*"</c> or <c>{"AWS": "*"}</c>.</summary>
    public TrustPolicy Principal(string principalJson)
    {
        _principal = Parse(principalJson);
        return this;
    }

    /// <summary>Replaces the Action element, e.g. <c>["sts:AssumeRoleWithWebIdentity", "sts:TagSession"]</c>.</summary>
    public TrustPolicy Action(string actionJson)
    {
        _actionElement = "Action";
        _action = Parse(actionJson);
        return this;
    }

    /// <summary>Uses NotAction instead of Action.</summary>
    public TrustPolicy NotAction(string actionJson)
    {
        _actionElement = "NotAction";
        _action = Parse(actionJson);
        return this;
    }

    /// <summary>Writes Statement as a single object rather than a one-element list (only with no extra statements).</summary>
    public TrustPolicy StatementAsObject()
    {
        _statementAsObject = true;
        return this;
    }

    /// <summary>Appends a raw statement.</summary>
    public TrustPolicy Statement(string statementJson)
    {
        _extraStatements.Add(Parse(statementJson).AsObject());
        return this;
    }

    /// <summary>Appends a Deny statement for the same principal and action, with the given Condition element.</summary>
    public TrustPolicy DenyWhen(string conditionJson)
    {
        _extraStatements.Add(new JsonObject
        {
            ["Sid"] = "Deny" + _extraStatements.Count,
            ["Effect"] = "Deny",
            ["Principal"] = _principal.DeepClone(),
            ["Action"] = "sts:AssumeRoleWithWebIdentity",
            ["Condition"] = Parse(conditionJson),
        });
        return this;
    }

    public string ToJson()
    {
        var first = new JsonObject
        {
            ["Effect"] = _effect,
            ["Principal"] = _principal.DeepClone(),
            [_actionElement] = _action.DeepClone(),
        };
        if (_condition is not null)
        {
            first["Condition"] = _condition.DeepClone();
        }

        var root = new JsonObject();
        if (_version is not null)
        {
            root["Version"] = _version;
        }

        root["Statement"] = _statementAsObject && _extraStatements.Count == 0
            ? first
            : new JsonArray([first, .. _extraStatements.Select(s => s.DeepClone())]);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public PolicyDocument Build() => PolicyParser.Parse(Source, ToJson());

    private static JsonNode Parse(string json) =>
        JsonNode.Parse(json) ?? throw new ArgumentException("The JSON of a policy part must not be null.", nameof(json));
}
