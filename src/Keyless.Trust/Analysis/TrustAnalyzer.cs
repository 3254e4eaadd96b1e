using System.Text.Json.Nodes;
using Keyless.Trust.Automata;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Trust.Analysis;

/// <summary>One part of what a role admits, in GitLab terms, with an example token's claims.</summary>
public sealed record AdmittedGrant(
    string Provider,
    string Audiences,
    string Projects,
    string RefType,
    string Refs,
    IReadOnlyDictionary<string, string> OtherClaims,
    JsonObject Example);

/// <summary>The analysis of one role: exactly whom it admits, and what is wrong with that.</summary>
public sealed record RoleAnalysis(RoleTrust Role, IReadOnlyList<AdmittedGrant> Admitted, IReadOnlyList<Finding> Findings)
{
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
        if (targets.Count == 0)
        {
            findings.Add(new(Rules.AdmitsNobody, Severity.Error,
                "The trust policy names no IAM OIDC provider as a Federated principal, so no GitLab ID token can assume this role.",
                "Name the provider: \"Principal\": {\"Federated\": \"arn:aws:iam::ACCOUNT:oidc-provider/gitlab.com\"}.", "$.Statement"));
        }

        foreach (var (arn, provider, clientIdsKnown) in targets)
        {
            sets[provider.Url] = new ProviderAnalysis(role, arn, provider, clientIdsKnown, expectation, now, findings, grants).Run();
        }

        return new RoleAnalysis(role, grants, Deduplicate(findings)) { AdmittedSets = sets };
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
                    findings.Add(new(Rules.SetOperatorOnSingleValue, Severity.Warning,
                        $"{op.Name} on {condition.Key}: set operators are for multivalued keys; on a single-valued key they can be overly permissive (ForAllValues is true when the key is absent).",
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
                findings.Add(new(Rules.AdmitsNobody, Severity.Error,
                    $"No token from {provider.Url} can assume the role: no Allow statement can hold for any token GitLab issues{(denied.Count > 0 ? ", or a Deny removes all of them" : "")}. Every deploy would get AccessDenied.",
                    "Check the findings above (conditions on keys AWS never populates, StringEquals with wildcards) and compare with `keyless trust simulate`."));
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

        private void ReportConstant(Statement statement, ConstantCondition constant)
        {
            if (!constant.KeyAbsent)
            {
                return;
            }

            if (!constant.Value)
            {
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
                Report(Rules.RefWildcard, box, triple,
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
                        var name = Witnesses.Pick(refs, RefHints);
                        Report(Rules.RefTypeWildcard, tagBox, new SubjectTriple(projects, "tag", refs),
                            $"The ref \"{name}\" is admitted both as a branch and as a tag: a tag named like the branch (which tag protection may not cover) gets the same credentials.",
                            "Write ref_type explicitly (…:ref_type:branch:ref:main), never ref_type:*.");
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
            LanguageText.Describe(projects, domain, LanguageText.SubPatternParts(_subValues).Projects);

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
