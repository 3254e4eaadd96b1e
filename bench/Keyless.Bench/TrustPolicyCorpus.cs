using System.Globalization;

namespace Keyless.Bench;

/// <summary>
/// Realistic GitLab trust policies, generated deterministically: exact main-branch roles with id pins,
/// release-tag roles, group wildcards, any-branch roles, several refs, and Deny statements.
/// </summary>
internal static class TrustPolicyCorpus
{
    private const string Principal = "\"Principal\": {\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/gitlab.com\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\"";

    public static List<string> Generate(int count, int pathLength, int seed = 42)
    {
        var random = new Random(seed);
        var policies = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var group = Name(random, "group", pathLength / 2);
            var project = $"{group}/{Name(random, "project", pathLength - group.Length - 1)}";
            var id = random.Next(1_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
            var pins = $"\"gitlab.com:aud\": \"https://gitlab.com\", \"gitlab.com:project_id\": \"{id}\"";
            var statement = (i % 6) switch
            {
                0 => Allow($"\"StringEquals\": {{{pins}, \"gitlab.com:ref_protected\": \"true\", \"gitlab.com:sub\": \"project_path:{project}:ref_type:branch:ref:main\"}}"),
                1 => Allow($"\"StringEquals\": {{{pins}, \"gitlab.com:ref_protected\": \"true\"}}, \"StringLike\": {{\"gitlab.com:sub\": \"project_path:{project}:ref_type:tag:ref:v*\"}}"),
                2 => Allow($"\"StringEquals\": {{\"gitlab.com:aud\": \"https://gitlab.com\"}}, \"StringLike\": {{\"gitlab.com:sub\": \"project_path:{group}/*\"}}"),
                3 => Allow($"\"StringEquals\": {{{pins}}}, \"StringLike\": {{\"gitlab.com:sub\": \"project_path:{project}:ref_type:branch:ref:*\"}}"),
                4 => Allow($"\"StringEquals\": {{{pins}}}, \"StringLike\": {{\"gitlab.com:sub\": [\"project_path:{project}:ref_type:branch:ref:main\", \"project_path:{project}:ref_type:branch:ref:release/*\", \"project_path:{project}:ref_type:tag:ref:v*\"]}}"),
                _ => Allow($"\"StringEquals\": {{{pins}}}, \"StringLike\": {{\"gitlab.com:sub\": \"project_path:{group}*\"}}")
                     + ", " + $"{{\"Effect\": \"Deny\", {Principal}, \"Condition\": {{\"StringLike\": {{\"gitlab.com:sub\": \"*:ref_type:branch:ref:feature/*\"}}}}}}",
            };
            policies.Add($"{{\"Version\": \"2012-10-17\", \"Statement\": [{statement}]}}");
        }

        return policies;
    }

    private static string Allow(string conditions) => $"{{\"Effect\": \"Allow\", {Principal}, \"Condition\": {{{conditions}}}}}";

    private static string Name(Random random, string stem, int length)
    {
        var chars = new char[Math.Max(length, stem.Length + 2)];
        stem.CopyTo(chars);
        chars[stem.Length] = '-';
        for (var i = stem.Length + 1; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + random.Next(26));
        }

        return new string(chars);
    }
}
