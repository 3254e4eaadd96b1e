using System.Text.Json.Nodes;
using Keyless.Core.Findings;

namespace Keyless.Trust.Analysis;

/// <summary>
/// One finding: what is wrong, why it matters and how to fix it; for every "admits too much" finding a
/// witness, a concrete claim set that STS would accept.
/// </summary>
public sealed record Finding(Rule Rule, Severity Severity, string Message, string Fix, string? Path = null, JsonObject? Witness = null);

/// <summary>The analyzer's rules. Ids never change meaning; new rules get new ids.</summary>
public static class Rules
{
    public static readonly Rule SubUnrestricted = new("KL001", "sub-unrestricted", Severity.Error, "Any project on the GitLab instance can assume the role");
    public static readonly Rule OtherNamespaces = new("KL002", "wildcard-other-namespaces", Severity.Error, "A wildcard reaches projects in other namespaces");
    public static readonly Rule OtherProjects = new("KL003", "wildcard-other-projects", Severity.Warning, "A wildcard reaches other projects or subgroups of the namespace");
    public static readonly Rule AnyRef = new("KL004", "any-ref", Severity.Error, "Any branch or tag can assume the role");
    public static readonly Rule RefWildcard = new("KL005", "ref-wildcard", Severity.Warning, "A ref wildcard or prefix admits refs anyone with push access can create");
    public static readonly Rule RefTypeWildcard = new("KL006", "ref-type-wildcard", Severity.Error, "The same ref name is admitted as a branch and as a tag");
    public static readonly Rule EqualsWithWildcard = new("KL007", "string-equals-wildcard", Severity.Warning, "StringEquals treats * and ? literally");
    public static readonly Rule KeyNeverPresent = new("KL008", "key-never-present", Severity.Warning, "A condition on a key AWS never populates can never hold");
    public static readonly Rule VacuousCondition = new("KL009", "vacuous-condition", Severity.Error, "A condition on a key AWS never populates is always true");
    public static readonly Rule SetOperatorOnSingleValue = new("KL010", "set-operator-single-valued", Severity.Warning, "ForAnyValue/ForAllValues on a single-valued key");
    public static readonly Rule AudienceUnpinned = new("KL011", "audience-unpinned", Severity.Warning, "No aud condition while the provider lists several client IDs");
    public static readonly Rule NoImmutablePin = new("KL012", "no-immutable-id-pin", Severity.Warning, "gitlab.com role without a project_id or namespace_id pin");
    public static readonly Rule LongSessions = new("KL013", "max-session-duration", Severity.Warning, "MaxSessionDuration is longer than a deploy needs");
    public static readonly Rule IamWouldRefuse = new("KL014", "iam-would-refuse", Severity.Error, "IAM would refuse to create or update this trust policy");
    public static readonly Rule AdmitsNobody = new("KL015", "admits-nobody", Severity.Error, "No GitLab token can assume the role");
    public static readonly Rule ProviderUrl = new("KL016", "provider-url", Severity.Warning, "A provider URL AWS would refuse");
    public static readonly Rule AnyPrincipal = new("KL017", "any-principal", Severity.Error, "The trust policy names every principal");
    public static readonly Rule ActionWildcard = new("KL018", "action-wildcard", Severity.Warning, "A wildcard action in a trust policy");
    public static readonly Rule NotAnalysed = new("KL019", "condition-not-analysed", Severity.Info, "A condition Keyless cannot turn into a set of tokens");
    public static readonly Rule AdmitsMore = new("KL020", "admits-more-than-expected", Severity.Error, "The role admits tokens the expectation does not name");
    public static readonly Rule AdmitsLess = new("KL021", "admits-less-than-expected", Severity.Error, "A token the expectation names would be denied");
    public static readonly Rule ValueNeverMatches = new("KL022", "value-never-matches", Severity.Warning, "A condition value no token of the provider can match");
    public static readonly Rule OtherPrincipals = new("KL023", "other-principals", Severity.Info, "Principals other than the OIDC provider may assume the role");
    public static readonly Rule RefProtectedUnpinned = new("KL024", "ref-protected-unpinned", Severity.Info, "gitlab.com role that does not require a protected ref");
    public static readonly Rule VariableNotSubstituted = new("KL025", "variable-not-substituted", Severity.Error, "A policy variable in an operator that takes none is literal text");
    public static readonly Rule VariableInBool = new("KL026", "variable-in-bool", Severity.Warning, "A policy variable in Bool, where the AWS documentation contradicts itself");
    public static readonly Rule AmrWithoutSetOperator = new("KL027", "amr-without-set-operator", Severity.Warning, "An operator without ForAnyValue/ForAllValues on the multivalued amr key");

    public static IReadOnlyList<Rule> All { get; } =
    [
        SubUnrestricted, OtherNamespaces, OtherProjects, AnyRef, RefWildcard, RefTypeWildcard, EqualsWithWildcard,
        KeyNeverPresent, VacuousCondition, SetOperatorOnSingleValue, AudienceUnpinned, NoImmutablePin, LongSessions,
        IamWouldRefuse, AdmitsNobody, ProviderUrl, AnyPrincipal, ActionWildcard, NotAnalysed, AdmitsMore, AdmitsLess,
        ValueNeverMatches, OtherPrincipals, RefProtectedUnpinned,
        VariableNotSubstituted, VariableInBool, AmrWithoutSetOperator,
    ];
}
