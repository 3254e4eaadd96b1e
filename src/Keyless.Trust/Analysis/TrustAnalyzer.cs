using System.Text.Json.Nodes;
using Keyless.Core.Findings;
using Keyless.Trust.Automata;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Analysis;

/// <summary>One part of what a role admits, in GitLab terms, with an example token's claims.</summary>
public sealed record AdmittedGrant(
    string Provider,
    ValueSet Audiences,
    ValueSet Projects,
    string RefType,
    ValueSet Refs,
    IReadOnlyDictionary<string, ValueSet> OtherClaims,
    JsonObject Example);

/// <summary>
/// A provider a role was analysed against: its URL and client-ID list, or null when the inputs do not
/// declare the account's provider (then every aud is assumed accepted, so nothing is hidden).
/// </summary>
public sealed record ProviderBasis(string Url, IReadOnlyList<string>? ClientIds);

/// <summary>The analysis of one role: exactly whom it admits, and what is wrong with that.</summary>
public sealed record RoleAnalysis(RoleTrust Role, IReadOnlyList<AdmittedGrant> Admitted, IReadOnlyList<Finding> Findings)
{
    public IReadOnlyList<ProviderBasis> Providers { get; init; } = [];

    internal IReadOnlyDictionary<string, TokenSet> AdmittedSets { get; init; } = new Dictionary<string, TokenSet>();

    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);

    /// <summary>Whether the computed admitted set holds these claims (a GitLab-shaped token of a known provider).</summary>
    public bool Admits(TokenClaims claims) =>
        claims.Single("iss") is { } issuer
        && AdmittedSets.TryGetValue(issuer, out var set)
        && set.Boxes.Any(box => box.Claims.Append("sub").Append("aud").All(claim =>
            claims.Single(claim) is { } value && box.Get(claim).Accepts(value)));
}

/// <summary>
/// Computes, exactly, which GitLab ID tokens a role's trust policy admits: each statement's conditions are
/// compiled to automata over the claim values (the sub grammar constrained by GitLab's path and git's ref
/// rules), Allow statements are united, Deny statements subtracted. Findings come from that set, each
/// "admits too much" finding with a witness that <see cref="StsSimulator"/> allows.
/// </summary>
public static class TrustAnalyzer
{
    public const int RecommendedMaxSession = 3600;

    private static readonly HashSet<string> OtherClaimsShown = new(StringComparer.Ordinal)
    {
        "project_id", "namespace_id", "ref_protected", "pipeline_source", "user_login", "user_id", "user_email", "user_access_level",
        "runner_environment",
    };

    public static RoleAnalysis Analyze(RoleTrust role, IReadOnlyList<OidcProvider> knownProviders, RoleExpectation? expectation, DateTimeOffset now)
    {
        var findings = new List<Finding>();
        var grants = new List<AdmittedGrant>();
        var sets = new Dictionary<string, TokenSet>(StringComparer.Ordinal);
        AddStatementFindings(role, findings);
        findings.AddRange(SemanticChoiceFindings.For(role.Policy));

        var targets = ProvidersOf(role.Policy, knownProviders);

        // A role that trusts only other principals (a CDK custom resource's Lambda role, an EC2 role) is no
        // GitLab role: KL023 lists whom it trusts. A role that trusts nobody at all cannot be used.
        if (targets.Count == 0 && !findings.Any(f => f.Rule == Rules.OtherPrincipals))
        {
            findings.Add(new(Rules.AdmitsNobody, Severity.Error,
                "The trust policy names no IAM OIDC provider as a Federated principal, so no GitLab ID token can assume this role.",
                "Name the provider: \"Principal\": {\"Federated\": \"arn:aws:iam::ACCOUNT:oidc-provider/gitlab.com\"}.", "$.Statement"));
        }

        foreach (var (arn, provider, clientIdsKnown) in targets)
        {
            sets[provider.Url] = new ProviderAnalysis(role, arn, provider, clientIdsKnown, expectation, now, findings, grants).Run();
        }

        return new RoleAnalysis(role, grants, Deduplicate(findings))
        {
            AdmittedSets = sets,
            Providers = [.. targets.Select(t => new ProviderBasis(t.Provider.Url, t.ClientIdsKnown ? t.Provider.ClientIds : null))],
        };
    }

    private static void AddStatementFindings(RoleTrust role, List<Finding> findings)
    {
        if (role.MaxSessionDuration > RecommendedMaxSession)
        {
            findings.Add(new(Rules.LongSessions, Severity.Warning,
                $"MaxSessionDuration is {role.MaxSessionDuration} s; a deploy job needs minutes, and a leaked session stays usable that long.",
                $"Set MaxSessionDuration to {RecommendedMaxSession} (or less) and request 900 s sessions."));
        }

        foreach (var statement in role.Policy.Statements)
        {
            foreach (var objection in statement.IamObjections)
            {
                findings.Add(new(Rules.IamWouldRefuse, Severity.Error, $"{statement.Label}: {objection}; IAM refuses to create or update such a trust policy.",
                    "Remove the element IAM refuses in trust policies.", statement.Path));
            }

            if (statement.Effect == Effect.Allow && statement.Principal.Anyone)
            {
                findings.Add(new(Rules.AnyPrincipal, Severity.Error, $"{statement.Label} allows Principal \"*\": every AWS principal and every identity provider of the account.",
                    "Name the GitLab OIDC provider as the only principal: {\"Federated\": \"arn:aws:iam::ACCOUNT:oidc-provider/gitlab.com\"}.", statement.Path));
            }

            var others = statement.Principal.Others
                .Concat(statement.Principal.Federated.Where(f => OidcProvider.ParseArn(f) is null).Select(f => "Federated:" + f))
                .ToList();
            if (statement.Effect == Effect.Allow && others.Count > 0)
            {
                findings.Add(new(Rules.OtherPrincipals, Severity.Info,
                    $"{statement.Label} lets {string.Join(", ", others)} assume the role (actions {string.Join(", ", statement.Actions.Patterns)}); they need no GitLab token, so whoever controls them gets the same credentials.",
                    "Keep the other principals in their own statement only if they are meant to deploy, and review who controls them.", statement.Path));
            }

            if (statement.Effect == Effect.Allow && !statement.Actions.Negated && statement.Actions.Patterns.Any(p => p.Contains('*', StringComparison.Ordinal) || p.Contains('?', StringComparison.Ordinal)))
            {
                findings.Add(new(Rules.ActionWildcard, Severity.Warning, $"{statement.Label} allows the actions {string.Join(", ", statement.Actions.Patterns)}: more than sts:AssumeRoleWithWebIdentity.",
                    "Allow exactly \"sts:AssumeRoleWithWebIdentity\".", statement.Path));
            }

            foreach (var condition in statement.Conditions)
            {
                var op = condition.Operator;
                if (op.Family == OperatorFamily.String && op.Comparison == Comparison.Equals
                    && condition.Values.FirstOrDefault(v => v.Raw.Contains('*', StringComparison.Ordinal) || v.Raw.Contains('?', StringComparison.Ordinal)) is { } literal)
                {
                    findings.Add(new(Rules.EqualsWithWildcard, Severity.Warning,
                        $"{op.Name} {condition.Key} \"{literal.Raw}\": {op.Name} compares * and ? as literal characters, so this value only matches a token whose claim contains them — it never works as a wildcard (a classic cause of AccessDenied).",
                        $"Use StringLike{(op.Negated ? " (StringNotLike)" : "")} for wildcards, or write the exact value.", condition.Path));
                }

                if (op.Qualifier != SetQualifier.None && !condition.Key.EndsWith(":amr", StringComparison.OrdinalIgnoreCase))
                {
                    var why = op.Qualifier == SetQualifier.ForAllValues
                        ? "ForAllValues is also true when the key is absent or empty, so the condition can hold for requests that carry no such value"
                        : "ForAnyValue acts like the plain operator on its one value (and is false when the key is absent); the prefix suggests a multivalued key and is easily mistaken for ForAllValues, which is true when the key is absent";
                    findings.Add(new(Rules.SetOperatorOnSingleValue, Severity.Warning,
                        $"{op.Name} on {condition.Key}: a single-valued key, where set operators do not belong. {why}.",
                        $"Drop the {op.Qualifier}: prefix.", condition.Path));
                }
            }
        }
    }

    private static List<(string Arn, OidcProvider Provider, bool ClientIdsKnown)> ProvidersOf(PolicyDocument policy, IReadOnlyList<OidcProvider> known)
    {
        var targets = new List<(string, OidcProvider, bool)>();
        foreach (var arn in policy.Statements.Where(s => s.Effect == Effect.Allow).SelectMany(s => s.Principal.Federated).Distinct(StringComparer.Ordinal))
        {
            if (OidcProvider.ParseArn(arn) is not { } parsed)
            {
                continue;
            }

            var provider = known.FirstOrDefault(p => p.KeyPrefix == parsed.KeyPrefix);
            targets.Add(provider is null ? (arn, new OidcProvider("https://" + parsed.KeyPrefix, []), false) : (arn, provider, provider.ClientIds.Count > 0));
        }

        if (policy.Statements.Any(s => s.Effect == Effect.Allow && s.Principal.Anyone))
        {
            foreach (var provider in known.Where(p => targets.All(t => t.Item2.KeyPrefix != p.KeyPrefix)))
            {
                targets.Add((provider.Arn(policy.FederatedAccount() ?? TrustDocuments.PlaceholderAccount), provider, provider.ClientIds.Count > 0));
            }
        }

        return targets;
    }

    private static List<Finding> Deduplicate(List<Finding> findings) =>
        findings.GroupBy(f => (f.Rule.Id, f.Message)).Select(g => g.First())
            .OrderByDescending(f => f.Severity).ThenBy(f => f.Rule.Id, StringComparer.Ordinal).ToList();

    /// <summary>The analysis of one role for one provider.</summary>
    private sealed class ProviderAnalysis(
        RoleTrust role,
        string providerArn,
        OidcProvider provider,
        bool clientIdsKnown,
        RoleExpectation? expectation,
        DateTimeOffset now,
        List<Finding> findings,
        List<AdmittedGrant> grants)
    {
        private readonly List<string> _subValues = role.Policy.Statements
            .SelectMany(s => s.Conditions)
            .Where(c => c.Key.EndsWith(":sub", StringComparison.OrdinalIgnoreCase))
            .SelectMany(c => c.Values.Select(v => v.Raw))
            .ToList();

        // Why statements admit nobody: values and keys that can never match, in words.
        private readonly List<string> _causes = [];

        private ClaimSpace _space = null!;

        private List<string> ProjectHints => LanguageText.SubPatternParts(_subValues).Projects
            .Select(p => p.TrimEnd('*').TrimEnd('/'))
            .Where(p => p.Length > 0 && !p.Contains('*', StringComparison.Ordinal) && !p.Contains('?', StringComparison.Ordinal))
            .Concat(expectation is null ? [] : [expectation.Project])
            .ToList();

        private List<string> RefHints => LanguageText.SubPatternParts(_subValues).Refs.Select(r => r.Replace("*", "evil", StringComparison.Ordinal)).ToList();

        public TokenSet Run()
        {
            if (provider.UrlObjection() is { } objection)
            {
                findings.Add(new(Rules.ProviderUrl, Severity.Warning, objection + ".", "Use the https URL of the GitLab instance without port or query.", null));
            }

            var literals = role.Policy.Statements.SelectMany(s => s.Conditions).SelectMany(c => c.Values.Select(v => v.Raw))
                .Concat(expectation is null ? [] : [expectation.Project, expectation.ProjectId ?? "", expectation.NamespaceId ?? "", expectation.Audience ?? "", .. expectation.Refs.Select(r => r.Pattern)]);
            _space = new ClaimSpace(provider, clientIdsKnown, literals);

            var relevant = role.Policy.Statements
                .Where(s => s.Principal.AdmitsFederated(providerArn) && s.Actions.Matches(StsSimulator.AssumeAction))
                .ToList();
            if (!relevant.Any(s => s.Effect == Effect.Allow))
            {
                _causes.Add($"no Allow statement names {providerArn} with sts:AssumeRoleWithWebIdentity");
            }

            var allowed = new List<ClaimBox>();
            var denied = new List<ClaimBox>();
            foreach (var statement in relevant)
            {
                if (CompileStatement(statement) is { } box)
                {
                    (statement.Effect == Effect.Allow ? allowed : denied).Add(box);
                }
            }

            CheckProviderControls(relevant);

            var admitted = denied.Aggregate(new TokenSet(allowed), (set, deny) => set.Minus(deny));
            if (admitted.IsEmpty)
            {
                var because = _causes.Count > 0
                    ? string.Join("; ", _causes.Distinct(StringComparer.Ordinal))
                    : allowed.Count > 0 && denied.Count > 0
                        ? "a Deny statement removes every token the Allow statements admit"
                        : "the conditions of each Allow statement exclude one another for every token GitLab issues";
                findings.Add(new(Rules.AdmitsNobody, Severity.Error,
                    $"No token from {provider.Url} can assume the role: {because}. Every deploy would get AccessDenied.",
                    "Correct what is named here, then confirm with `keyless trust simulate` and a token of the project."));
                return admitted;
            }

            var parts = admitted.Boxes.Select(box => (box, SubjectTriple.Decompose(box.Get("sub")))).ToList();
            CheckBreadth(parts);
            CheckExpectation(admitted);
            Describe(parts);
            return admitted;
        }

        private ClaimBox? CompileStatement(Statement statement)
        {
            var box = new ClaimBox(_space);
            var holds = true;
            var unmodeled = false;
            foreach (var compiled in statement.Conditions.Select(c => ConditionCompiler.Compile(c, _space, role.Policy.VariablesEnabled)))
            {
                switch (compiled)
                {
                    case ConstantCondition constant:
                        ReportConstant(statement, constant);
                        holds &= constant.Value;
                        break;
                    case ClaimCondition claim:
                        box = box.Restrict(claim.Claim, claim.Language);
                        if (statement.Effect == Effect.Allow)
                        {
                            ReportDeadValues(claim);
                        }

                        break;
                    case UnmodeledCondition other:
                        unmodeled = true;
                        findings.Add(new(Rules.NotAnalysed, Severity.Info,
                            $"{compiled.Condition}: {other.Reason}; the analysis treats it as {(statement.Effect == Effect.Allow ? "true (it may admit fewer tokens than shown)" : "not applying (the Deny may remove more than shown)")}.",
                            "Check this condition with `keyless trust simulate`.", compiled.Condition.Path));
                        break;
                }
            }

            // An unprovable Deny is left out so that what is reported as admitted is never too small.
            return holds && !(unmodeled && statement.Effect == Effect.Deny) ? box : null;
        }

        // Each value of a condition that no token of the provider can match: a project silently locked out.
        private void ReportDeadValues(ClaimCondition compiled)
        {
            var condition = compiled.Condition;
            if (condition.Operator.Negated)
            {
                return;
            }

            var dead = condition.Values
                .Where(v => ConditionCompiler.ValueMatches(condition, v, _space, role.Policy.VariablesEnabled) is { IsEmpty: true })
                .ToList();
            foreach (var value in dead)
            {
                var why = WhyNeverMatches(condition, compiled.Claim, value.Raw);
                _causes.Add($"{condition.Key} \"{value.Raw}\" can never match ({why})");
                findings.Add(new(Rules.ValueNeverMatches, Severity.Warning,
                    $"{condition.Operator.Name} {condition.Key} \"{value.Raw}\" can never match: {why}.{(dead.Count < condition.Values.Count ? " The other values still admit tokens, so whoever this value was meant for is silently locked out." : "")}",
                    compiled.Claim == "sub"
                        ? "Write the full subject: project_path:GROUP/PROJECT:ref_type:branch:ref:main (StringLike for wildcards)."
                        : compiled.Claim == "aud" ? $"Use a client ID of the provider ({string.Join(", ", provider.ClientIds)}), or add this one to the provider's client-ID list." : "Use a value the claim can take.",
                    condition.Path));
            }
        }

        private string WhyNeverMatches(Condition condition, string claim, string raw)
        {
            var op = condition.Operator;
            var literalWildcard = op.Family == OperatorFamily.String && op.Comparison == Comparison.Equals && (raw.Contains('*', StringComparison.Ordinal) || raw.Contains('?', StringComparison.Ordinal));
            if (claim == "aud")
            {
                return $"the provider's client-ID list ({string.Join(", ", provider.ClientIds.Select(c => $"\"{c}\""))}) does not hold it, and STS refuses a token for any other audience before it reads the trust policy";
            }

            if (claim != "sub")
            {
                return literalWildcard ? $"{op.Name} compares * and ? literally" : $"GitLab never puts such a value in {claim}";
            }

            if (literalWildcard)
            {
                return $"{op.Name} compares * and ? literally, and no project path or ref contains them";
            }

            var alphabet = _space.Alphabet;
            bool Overlaps(string glob) => !Dfa.Glob(alphabet, glob).Intersect(ValueAsGlob(raw, op)).IsEmpty;
            return !Overlaps("project_path:*") ? "GitLab's sub starts with project_path:"
                : !Overlaps("*:ref_type:*") ? "it lacks the :ref_type:TYPE:ref:REF part that every GitLab sub ends with"
                : !Overlaps("*:ref_type:branch:ref:*") && !Overlaps("*:ref_type:tag:ref:*") ? "after :ref_type: GitLab writes branch or tag, then :ref: and the ref name (…:ref_type:branch:ref:main)"
                : !Overlaps("project_path:*/*:ref_type:*") ? "a GitLab project path has a namespace and a project (project_path:GROUP/PROJECT)"
                : "its project path or ref is not one GitLab and git allow (project paths use letters, digits, _ . - and /; refs follow git's ref-name rules)";
        }

        private Dfa ValueAsGlob(string raw, ConditionOperator op) =>
            op.Comparison == Comparison.Like
                ? Dfa.Glob(_space.Alphabet, ConditionCompiler.ToGlob(PolicyValue.Parse(raw, wildcards: true, variables: false).Parts))
                : op.IgnoreCase ? Dfa.LiteralIgnoreCase(_space.Alphabet, raw) : Dfa.Literal(_space.Alphabet, raw);

        private void ReportConstant(Statement statement, ConstantCondition constant)
        {
            if (!constant.KeyAbsent)
            {
                return;
            }

            if (!constant.Value)
            {
                if (statement.Effect == Effect.Allow)
                {
                    _causes.Add($"{statement.Label} requires {constant.Condition.Key}, which is never in the request ({constant.Reason})");
                }

                findings.Add(new(Rules.KeyNeverPresent, Severity.Warning,
                    $"{constant.Condition}: {constant.Reason}, so this condition is always false and {statement.Label} never applies{(statement.Effect == Effect.Allow ? " (fail-closed: the role may be unusable)" : "")}.",
                    SuggestKey(constant.Condition), constant.Condition.Path));
            }
            else
            {
                var severity = statement.Effect == Effect.Allow ? Severity.Error : Severity.Warning;
                findings.Add(new(Rules.VacuousCondition, severity,
                    $"{constant.Condition}: {constant.Reason}, so this condition is always true and restricts nothing{(statement.Effect == Effect.Deny ? "; the Deny applies to every token" : "")}.",
                    SuggestKey(constant.Condition), constant.Condition.Path));
            }
        }

        private string SuggestKey(Condition condition)
        {
            var claim = condition.Key.Contains(':', StringComparison.Ordinal) ? condition.Key[(condition.Key.LastIndexOf(':') + 1)..] : condition.Key;
            return claim switch
            {
                "project_path" or "namespace_path" or "ref" or "ref_type" => $"Express it in {provider.KeyPrefix}:sub (project_path:GROUP/PROJECT:ref_type:TYPE:ref:REF){(_space.IsGitLabCom ? " and pin gitlab.com:project_id" : "")}.",
                _ when _space.IsGitLabCom => $"Use one of the keys AWS populates for gitlab.com: {string.Join(", ", _space.KeyClaims.Select(c => "gitlab.com:" + c))}.",
                _ => $"Self-managed GitLab tokens only give {provider.KeyPrefix}:sub and {provider.KeyPrefix}:aud as condition keys; pin the project and ref in sub.",
            };
        }

        // IAM's identity-provider controls: a new gitlab.com trust policy must evaluate gitlab.com:sub with
        // StringEquals/StringLike/StringEqualsIgnoreCase, not scoped to all (only the first value is checked).
        private void CheckProviderControls(List<Statement> relevant)
        {
            if (!_space.IsGitLabCom)
            {
                return;
            }

            foreach (var statement in relevant.Where(s => s.Effect == Effect.Allow))
            {
                var sub = statement.Conditions.FirstOrDefault(c =>
                    string.Equals(c.Key, "gitlab.com:sub", StringComparison.OrdinalIgnoreCase)
                    && c.Operator is { Negated: false, Qualifier: SetQualifier.None, IfExists: false, Family: OperatorFamily.String });
                if (sub is null || sub.Values[0].Raw.All(ch => ch is '*' or '?'))
                {
                    findings.Add(new(Rules.IamWouldRefuse, Severity.Error,
                        $"{statement.Label}: IAM's identity-provider controls refuse new or updated gitlab.com trust policies that do not evaluate gitlab.com:sub with StringEquals, StringLike or StringEqualsIgnoreCase, scoped to something narrower than \"*\".",
                        "Add \"StringEquals\": {\"gitlab.com:sub\": \"project_path:GROUP/PROJECT:ref_type:branch:ref:main\"}.", statement.Path));
                }
            }
        }

        private void CheckBreadth(List<(ClaimBox Box, IReadOnlyList<SubjectTriple> Triples)> parts)
        {
            var projectPaths = _space.ProjectPaths;
            var anyRef = _space.Refs;
            var triples = new List<(ClaimBox Box, SubjectTriple Triple)>();
            foreach (var (box, boxTriples) in parts)
            {
                foreach (var triple in boxTriples)
                {
                    triples.Add((box, triple));

                    // When any project gets in, what its refs are matters no more: report the project breadth alone.
                    if (CheckProjects(box, triple, projectPaths))
                    {
                        CheckRefs(box, triple, anyRef);
                    }
                }

                CheckAudience(box);
                CheckImmutablePin(box);
            }

            CheckRefTypeOverlap(triples);
            CheckRefProtected(parts.Select(p => p.Box));
        }

        /// <summary>Reports project breadth; false when the role admits every project.</summary>
        private bool CheckProjects(ClaimBox box, SubjectTriple triple, Dfa projectPaths)
        {
            if (projectPaths.IsSubsetOf(triple.Projects))
            {
                Report(Rules.SubUnrestricted, box, triple with { },
                    $"Any project on {provider.Url} can assume this role: {provider.KeyPrefix}:sub is {(box.Constrains("sub") ? "only constrained by a wildcard" : "not constrained at all")} for {Plural(triple.RefType)}. Anyone who can create a project there (on gitlab.com: anyone) gets these credentials.",
                    $"Pin the project: \"StringEquals\": {{\"{provider.KeyPrefix}:sub\": \"project_path:GROUP/PROJECT:ref_type:branch:ref:main\"}}.");
                return false;
            }

            var namespaces = Heads(triple.Projects);
            if (!namespaces.IsFinite || namespaces.Enumerate(2).Count > 1)
            {
                var intended = (triple.Projects.ShortestMember() ?? "").Split('/')[0];
                var outside = triple.Projects.Minus(Dfa.Glob(_space.Alphabet, [GlobToken.Literal(intended + "/"), GlobToken.AnyString]));
                Report(Rules.OtherNamespaces, box, triple with { Projects = outside.IsEmpty ? triple.Projects : outside },
                    $"A wildcard in {provider.KeyPrefix}:sub reaches projects in other namespaces than \"{intended}\" (projects {Describe(triple.Projects, projectPaths)}); anyone who registers a matching namespace gets in.",
                    "End the project part at a \"/\" boundary or, better, name the exact project: project_path:GROUP/PROJECT.");
            }
            else if (!triple.Projects.IsFinite)
            {
                var named = Dfa.OneOf(_space.Alphabet, ProjectHints);
                var others = triple.Projects.Minus(named);
                Report(Rules.OtherProjects, box, triple with { Projects = others.IsEmpty ? triple.Projects : others },
                    $"{provider.KeyPrefix}:sub admits every project {Describe(triple.Projects, projectPaths)} — including subgroups and projects created later by anyone with the right to create them.",
                    "Name the exact project path instead of a wildcard.");
            }

            return true;
        }

        private void CheckRefs(ClaimBox box, SubjectTriple triple, Dfa anyRef)
        {
            var protectedOnly = _space.IsGitLabCom && box.Constrains("ref_protected") && !box.Get("ref_protected").Accepts("false");
            if (anyRef.IsSubsetOf(triple.Refs))
            {
                Report(Rules.AnyRef, box, triple,
                    $"Any {triple.RefType} can assume this role{(protectedOnly ? " (protected ones only)" : "")}: whoever can push a {triple.RefType} to the project gets the credentials, bypassing review and protected-branch rules.",
                    $"Name the ref: …:ref_type:{triple.RefType}:ref:{(triple.RefType == "tag" ? "v1.0.0 (or a protected pattern such as v*)" : "main")}.");
            }
            else if (!triple.Refs.IsFinite && !protectedOnly)
            {
                // The witness takes a ref of the wildcard part, not one of the exact refs also named.
                var exact = Dfa.OneOf(_space.Alphabet, LanguageText.SubPatternParts(_subValues).Refs.Where(r => !r.Contains('*', StringComparison.Ordinal) && !r.Contains('?', StringComparison.Ordinal)));
                var wildcardRefs = triple.Refs.Minus(exact);
                Report(Rules.RefWildcard, box, triple with { Refs = wildcardRefs.IsEmpty ? triple.Refs : wildcardRefs },
                    $"{Plural(triple.RefType)} {LanguageText.Describe(triple.Refs, anyRef, LanguageText.SubPatternParts(_subValues).Refs)} are admitted; unless every such {triple.RefType} is protected, anyone with Developer access can create one and assume the role.",
                    _space.IsGitLabCom
                        ? "Also require \"StringEquals\": {\"gitlab.com:ref_protected\": \"true\"} and protect the pattern in GitLab, or name exact refs."
                        : $"Protect the {triple.RefType} pattern in GitLab (self-managed tokens give no ref_protected key), or name exact refs.");
            }
        }

        private void CheckRefTypeOverlap(List<(ClaimBox Box, SubjectTriple Triple)> triples)
        {
            foreach (var (branchBox, branch) in triples.Where(t => t.Triple.RefType == "branch"))
            {
                foreach (var (tagBox, tag) in triples.Where(t => t.Triple.RefType == "tag"))
                {
                    var projects = branch.Projects.Intersect(tag.Projects);
                    var refs = branch.Refs.Intersect(tag.Refs);
                    if (!projects.IsEmpty && !refs.IsEmpty)
                    {
                        // The message names the witness's own ref, so what it says can be replayed as shown.
                        var witness = Witnesses.Build(tagBox, new SubjectTriple(projects, "tag", refs), ProjectHints, RefHints, now);
                        findings.Add(new Finding(Rules.RefTypeWildcard, Rules.RefTypeWildcard.Severity,
                            $"The ref \"{witness["ref"]}\" is admitted both as a branch and as a tag: a tag named like the branch (which tag protection may not cover) gets the same credentials.",
                            "Write ref_type explicitly (…:ref_type:branch:ref:main), never ref_type:*.", null, witness));
                        return;
                    }
                }
            }
        }

        private void CheckAudience(ClaimBox box)
        {
            if (clientIdsKnown && provider.ClientIds.Count > 1 && box.Get("aud").Enumerate(2).Count > 1)
            {
                var other = box.Get("aud").Enumerate(provider.ClientIds.Count).First(aud => aud != provider.ClientIds[0]);
                Report(Rules.AudienceUnpinned, box.Restrict("aud", Dfa.Literal(_space.Alphabet, other)), null,
                    $"The provider accepts {provider.ClientIds.Count} client IDs and the role does not pin {provider.KeyPrefix}:aud, so tokens minted for another audience (e.g. \"{other}\") also work.",
                    $"Add \"StringEquals\": {{\"{provider.KeyPrefix}:aud\": \"{provider.ClientIds[0]}\"}}.");
            }
        }

        // A hint, not an error: exact refs may well be protected in GitLab, but the role does not rely on it.
        // KL005 already says it for ref wildcards.
        private void CheckRefProtected(IEnumerable<ClaimBox> boxes)
        {
            if (_space.IsGitLabCom && boxes.Any(b => b.Get("ref_protected").Accepts("false")) && !findings.Any(f => f.Rule == Rules.RefWildcard))
            {
                findings.Add(new(Rules.RefProtectedUnpinned, Severity.Info,
                    "The role does not require gitlab.com:ref_protected \"true\": a pipeline on an unprotected branch or tag that matches the sub gets in, so the role relies on the refs being protected in GitLab.",
                    "Add \"StringEquals\": {\"gitlab.com:ref_protected\": \"true\"} and protect the refs in GitLab.", null));
            }
        }

        private void CheckImmutablePin(ClaimBox box)
        {
            if (_space.IsGitLabCom && !box.Get("project_id").IsFinite && !box.Get("namespace_id").IsFinite)
            {
                Report(Rules.NoImmutablePin, box, null,
                    "The role trusts project paths only. If the project or namespace is deleted or renamed, whoever registers the path again mints identical sub claims (namespace recycling, \"Sub:jugation\").",
                    "Also pin the immutable id: \"StringEquals\": {\"gitlab.com:project_id\": \"PROJECT_ID\"} (and namespace_id).");
            }
        }

        private void CheckExpectation(TokenSet admitted)
        {
            if (expectation is null)
            {
                return;
            }

            var (expected, claims) = ExpectationSets.Build(expectation, _space);
            var more = admitted.Minus(expected);
            if (!more.IsEmpty)
            {
                Report(Rules.AdmitsMore, more.Boxes[0], null,
                    $"The role admits tokens outside its expectation (project {expectation.Project}, refs {string.Join(", ", expectation.Refs)}{(expectation.ProjectId is null ? "" : ", project_id " + expectation.ProjectId)}{(expectation.ProtectedOnly ? ", protected refs only" : "")}).",
                    "Narrow the trust policy to exactly the expected project and refs.");
            }

            var less = expected.Project(claims).Minus(admitted.Project(claims));
            if (!less.IsEmpty)
            {
                Report(Rules.AdmitsLess, less.Boxes[0], null,
                    $"A token the expectation names (project {expectation.Project}, refs {string.Join(", ", expectation.Refs)}) would be denied: the deploy it is meant for would get AccessDenied.",
                    "Widen the trust policy to the expected refs, or correct the expectation.");
            }
        }

        private void Describe(List<(ClaimBox Box, IReadOnlyList<SubjectTriple> Triples)> parts)
        {
            var (projectPatterns, refPatterns) = LanguageText.SubPatternParts(_subValues);
            var projectPaths = _space.ProjectPaths;
            var anyRef = _space.Refs;
            foreach (var (box, triples) in parts)
            {
                var others = box.Claims.Where(OtherClaimsShown.Contains)
                    .ToDictionary(c => c, c => LanguageText.Describe(box.Get(c), _space.Domain(c), []), StringComparer.Ordinal);
                foreach (var triple in triples)
                {
                    var example = Witnesses.Build(box, triple, ProjectHints, RefHints, now);
                    grants.Add(new AdmittedGrant(
                        provider.Url,
                        LanguageText.Describe(box.Get("aud"), _space.Domain("aud"), []),
                        LanguageText.Describe(triple.Projects, projectPaths, projectPatterns),
                        triple.RefType,
                        LanguageText.Describe(triple.Refs, anyRef, refPatterns),
                        others,
                        example));
                }
            }
        }

        private string Describe(Dfa projects, Dfa domain) =>
            LanguageText.Describe(projects, domain, LanguageText.SubPatternParts(_subValues).Projects).ToString();

        private void Report(Rule rule, ClaimBox box, SubjectTriple? triple, string message, string fix)
        {
            var empty = box.IsEmpty || (triple is not null && (triple.Projects.IsEmpty || triple.Refs.IsEmpty));
            var witness = empty ? null : Witnesses.Build(box, triple, ProjectHints, RefHints, now);
            findings.Add(new Finding(rule, rule.Severity, $"{message}", fix, null, witness));
        }

        private static string Plural(string refType) => refType == "branch" ? "branches" : "tags";

        // The first path segments (top-level namespaces) of a language of project paths.
        private static Dfa Heads(Dfa projects) =>
            projects.SplitAt('/').Select(s => s.Head).Aggregate(Dfa.Empty(projects.Alphabet), (acc, head) => acc.Union(head));
    }
}
