using System.Text.Json;
using Keyless.Core;

namespace Keyless.Trust.Policies;

/// <summary>
/// Reads a trust policy document. Structural mistakes that leave the policy without a meaning are input
/// errors naming the JSON path; things IAM would refuse to store but that still have a meaning are kept as
/// objections on the statement, so the analyzer can report them and the evaluator can still run.
/// Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
/// </summary>
public static class PolicyParser
{
    private static readonly HashSet<string> TopLevelElements = new(StringComparer.Ordinal) { "Version", "Id", "Statement" };

    private static readonly HashSet<string> StatementElements = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    };

    private static readonly HashSet<string> PrincipalTypes = new(StringComparer.Ordinal) { "AWS", "Federated", "Service", "CanonicalUser" };

    public static PolicyDocument Parse(string source, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw KeylessException.Input($"{source}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {FirstSentence(e.Message)} Fix the JSON syntax and try again.");
        }

        using (document)
        {
            return Parse(source, document.RootElement, "$");
        }
    }

    public static PolicyDocument Parse(string source, JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw KeylessException.AtJson(source, path, JsonText.Describe(root), "a policy object with \"Version\" and \"Statement\"");
        }

        foreach (var property in root.EnumerateObject())
        {
            if (!TopLevelElements.Contains(property.Name))
            {
                throw KeylessException.AtJson(source, $"{path}.{property.Name}", $"the element \"{property.Name}\"", "only Version, Id and Statement at the top of a policy");
            }
        }

        string? version = null;
        if (root.TryGetProperty("Version", out var versionElement))
        {
            version = versionElement.ValueKind == JsonValueKind.String
                ? versionElement.GetString()
                : throw KeylessException.AtJson(source, $"{path}.Version", JsonText.Describe(versionElement), "the string \"2012-10-17\"");
        }

        if (!root.TryGetProperty("Statement", out var statementElement))
        {
            throw KeylessException.AtJson(source, path, "no \"Statement\"", "a \"Statement\" object or list");
        }

        var statements = new List<Statement>();
        var versionObjection = version is null or "2012-10-17" or "2008-10-17"
            ? null
            : $"Version \"{version}\" is not a policy language version IAM accepts (use \"2012-10-17\")";
        if (statementElement.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in statementElement.EnumerateArray())
            {
                statements.Add(ParseStatement(source, item, $"{path}.Statement[{i++}]", version, versionObjection));
            }
        }
        else
        {
            statements.Add(ParseStatement(source, statementElement, $"{path}.Statement", version, versionObjection));
        }

        if (statements.Count == 0)
        {
            throw KeylessException.AtJson(source, $"{path}.Statement", "an empty list", "at least one statement");
        }

        return new PolicyDocument(source, version, statements);
    }

    private static Statement ParseStatement(string source, JsonElement element, string path, string? version, string? versionObjection)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw KeylessException.AtJson(source, path, JsonText.Describe(element), "a statement object");
        }

        var objections = new List<string>();
        if (versionObjection is not null)
        {
            objections.Add(versionObjection);
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!StatementElements.Contains(property.Name))
            {
                throw KeylessException.AtJson(source, $"{path}.{property.Name}", $"the element \"{property.Name}\"", $"one of {string.Join(", ", StatementElements)}");
            }
        }

        string? sid = null;
        if (element.TryGetProperty("Sid", out var sidElement))
        {
            sid = sidElement.ValueKind == JsonValueKind.String ? sidElement.GetString() : throw KeylessException.AtJson(source, $"{path}.Sid", JsonText.Describe(sidElement), "a string");
        }

        var effect = element.TryGetProperty("Effect", out var effectElement)
            ? effectElement.ValueKind == JsonValueKind.String ? effectElement.GetString() : throw KeylessException.AtJson(source, $"{path}.Effect", JsonText.Describe(effectElement), "\"Allow\" or \"Deny\" (case-sensitive)")
            : null;
        var parsedEffect = effect switch
        {
            "Allow" => Effect.Allow,
            "Deny" => Effect.Deny,
            _ => throw KeylessException.AtJson(source, $"{path}.Effect", effect is null ? "no Effect" : $"\"{effect}\"", "\"Allow\" or \"Deny\" (case-sensitive)"),
        };

        if (element.TryGetProperty("NotPrincipal", out _))
        {
            objections.Add("NotPrincipal is not allowed in a role trust policy");
        }

        if (element.TryGetProperty("Resource", out _) || element.TryGetProperty("NotResource", out _))
        {
            objections.Add("a role trust policy must not have a Resource or NotResource element");
        }

        PrincipalSet principal;
        if (element.TryGetProperty("Principal", out var principalElement))
        {
            principal = ParsePrincipal(source, principalElement, $"{path}.Principal");
        }
        else
        {
            objections.Add("a role trust policy statement must name a Principal");
            principal = new PrincipalSet(false, [], []);
        }

        var hasAction = element.TryGetProperty("Action", out var actionElement);
        var hasNotAction = element.TryGetProperty("NotAction", out var notActionElement);
        if (hasAction == hasNotAction)
        {
            throw KeylessException.AtJson(source, path, hasAction ? "both Action and NotAction" : "neither Action nor NotAction", "exactly one of Action or NotAction");
        }

        var actions = hasAction
            ? new ActionSet(false, ReadStrings(source, actionElement, $"{path}.Action", "an action name such as \"sts:AssumeRoleWithWebIdentity\""))
            : new ActionSet(true, ReadStrings(source, notActionElement, $"{path}.NotAction", "an action name"));

        var conditions = element.TryGetProperty("Condition", out var conditionElement)
            ? ParseConditions(source, conditionElement, $"{path}.Condition", version == "2012-10-17")
            : [];

        return new Statement(path, sid, parsedEffect, principal, actions, conditions, objections);
    }

    private static PrincipalSet ParsePrincipal(string source, JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString() == "*"
                ? new PrincipalSet(true, [], [])
                : throw KeylessException.AtJson(source, path, $"\"{element.GetString()}\"", "\"*\" or an object such as {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/gitlab.com\"}");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw KeylessException.AtJson(source, path, JsonText.Describe(element), "\"*\" or an object of principal types");
        }

        var anyone = false;
        var federated = new List<string>();
        var others = new List<string>();
        foreach (var property in element.EnumerateObject())
        {
            if (!PrincipalTypes.Contains(property.Name))
            {
                throw KeylessException.AtJson(source, $"{path}.{property.Name}", $"the principal type \"{property.Name}\"", "AWS, Federated, Service or CanonicalUser");
            }

            foreach (var value in ReadStrings(source, property.Value, $"{path}.{property.Name}", "a principal"))
            {
                if (property.Name == "AWS" && value == "*")
                {
                    anyone = true; // {"AWS": "*"} is the same as "*".
                }
                else if (property.Name == "Federated")
                {
                    federated.Add(value);
                }
                else
                {
                    others.Add($"{property.Name}:{value}");
                }
            }
        }

        return new PrincipalSet(anyone, federated, others);
    }

    private static List<Condition> ParseConditions(string source, JsonElement element, string path, bool variables)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw KeylessException.AtJson(source, path, JsonText.Describe(element), "an object of condition operators");
        }

        var conditions = new List<Condition>();
        foreach (var operatorProperty in element.EnumerateObject())
        {
            var operatorPath = $"{path}.{operatorProperty.Name}";
            var op = ConditionOperator.TryParse(operatorProperty.Name)
                ?? throw KeylessException.AtJson(source, operatorPath, $"the operator \"{operatorProperty.Name}\"", $"a condition operator such as StringEquals or StringLike, optionally with a ForAnyValue:/ForAllValues: prefix or an IfExists suffix (Null takes neither); known: {string.Join(", ", ConditionOperator.KnownNames)}");
            if (operatorProperty.Value.ValueKind != JsonValueKind.Object)
            {
                throw KeylessException.AtJson(source, operatorPath, JsonText.Describe(operatorProperty.Value), "an object of condition keys and values");
            }

            foreach (var keyProperty in operatorProperty.Value.EnumerateObject())
            {
                var keyPath = $"{operatorPath}[\"{keyProperty.Name}\"]";
                var raw = ReadScalars(source, keyProperty.Value, keyPath);
                if (op.Family == OperatorFamily.Null && raw.Any(v => v is not ("true" or "false")))
                {
                    throw KeylessException.AtJson(source, keyPath, $"\"{raw.First(v => v is not ("true" or "false"))}\"", "\"true\" (key absent) or \"false\" (key present) for the Null operator");
                }

                var like = op.Comparison == Comparison.Like;
                var values = raw.Select(v => PolicyValue.Parse(v, wildcards: like, variables: variables && op.TakesPolicyVariables)).ToList();
                conditions.Add(new Condition(keyPath, op, keyProperty.Name, values));
            }
        }

        return conditions;
    }

    private static List<string> ReadStrings(string source, JsonElement element, string path, string expected)
    {
        var values = new List<string>();
        if (element.ValueKind == JsonValueKind.String)
        {
            values.Add(element.GetString()!);
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                values.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw KeylessException.AtJson(source, $"{path}[{i}]", JsonText.Describe(item), expected));
                i++;
            }
        }
        else
        {
            throw KeylessException.AtJson(source, path, JsonText.Describe(element), $"{expected}, or a list of them");
        }

        return values.Count > 0 ? values : throw KeylessException.AtJson(source, path, "an empty list", expected);
    }

    // Condition values may be written as JSON strings, numbers or booleans; IAM compares their text.
    private static List<string> ReadScalars(string source, JsonElement element, string path)
    {
        var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToList() : [element];
        if (items.Count == 0)
        {
            throw KeylessException.AtJson(source, path, "an empty list", "at least one value");
        }

        return items.Select((item, i) => item.ValueKind switch
        {
            JsonValueKind.String => item.GetString()!,
            JsonValueKind.Number => item.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => throw KeylessException.AtJson(source, element.ValueKind == JsonValueKind.Array ? $"{path}[{i}]" : path, JsonText.Describe(item), "a string, number or boolean value"),
        }).ToList();
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..(cut + 1)] : message;
    }
}
