using System.Globalization;
using System.Xml.Linq;
using Amazon.Runtime;
using Keyless.Identity.Aws;

namespace Keyless.Local.Cloud;

/// <summary>An IAM OIDC provider as IAM reports it: the URL without its scheme, the client IDs.</summary>
public sealed record IamOidcProvider(string Arn, string Url, IReadOnlyList<string> ClientIds, IReadOnlyList<string> Thumbprints);

/// <summary>An IAM role as IAM reports it, with its trust policy decoded.</summary>
public sealed record IamRole(string Arn, string Name, string TrustPolicy, int MaxSessionDuration);

/// <summary>
/// A minimal IAM client over the Query API — a stand-in, because the AWS SDK's IAM package
/// (AWSSDK.IdentityManagement) is not served here. It covers what Keyless needs: reading OIDC providers and
/// roles (the local STS) and creating or updating them (applying a template to the local cloud). Requests
/// are signed with AWSSDK.Core's SigV4 signer, so it also works against IAM with enforcement on.
/// </summary>
public sealed class IamQueryClient(HttpClient http, Uri endpoint, ImmutableCredentials credentials, string region = "us-east-1")
{
    private const string Version = "2010-05-08";

    public async Task<IReadOnlyList<string>> ListOpenIdConnectProviderArnsAsync(CancellationToken cancellationToken = default)
    {
        var xml = await CallAsync("ListOpenIDConnectProviders", [], cancellationToken);
        return [.. AwsXml.Descendants(xml, "Arn").Select(e => e.Value)];
    }

    public async Task<IamOidcProvider?> GetOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken = default)
    {
        var xml = await CallOrNullAsync("GetOpenIDConnectProvider", [new("OpenIDConnectProviderArn", arn)], cancellationToken);
        return xml is null
            ? null
            : new IamOidcProvider(
                arn,
                AwsXml.Descendants(xml, "Url").First().Value,
                Members(xml, "ClientIDList"),
                Members(xml, "ThumbprintList"));
    }

    public async Task<string> CreateOpenIdConnectProviderAsync(string url, IReadOnlyList<string> clientIds, IReadOnlyList<string> thumbprints, CancellationToken cancellationToken = default)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("Url", url) };
        parameters.AddRange(clientIds.Select((id, i) => new KeyValuePair<string, string>($"ClientIDList.member.{i + 1}", id)));
        parameters.AddRange(thumbprints.Select((t, i) => new KeyValuePair<string, string>($"ThumbprintList.member.{i + 1}", t)));
        var xml = await CallAsync("CreateOpenIDConnectProvider", parameters, cancellationToken);
        return AwsXml.Descendants(xml, "OpenIDConnectProviderArn").First().Value;
    }

    public Task AddClientIdAsync(string providerArn, string clientId, CancellationToken cancellationToken = default) =>
        CallAsync("AddClientIDToOpenIDConnectProvider", [new("OpenIDConnectProviderArn", providerArn), new("ClientID", clientId)], cancellationToken);

    public Task RemoveClientIdAsync(string providerArn, string clientId, CancellationToken cancellationToken = default) =>
        CallAsync("RemoveClientIDFromOpenIDConnectProvider", [new("OpenIDConnectProviderArn", providerArn), new("ClientID", clientId)], cancellationToken);

    public async Task<IamRole?> GetRoleAsync(string roleName, CancellationToken cancellationToken = default)
    {
        var xml = await CallOrNullAsync("GetRole", [new("RoleName", roleName)], cancellationToken);
        if (xml is null)
        {
            return null;
        }

        var role = AwsXml.Descendants(xml, "Role").First();
        return new IamRole(
            AwsXml.Child(role, "Arn")!,
            AwsXml.Child(role, "RoleName")!,

            // IAM returns the trust policy URL-encoded.
            Uri.UnescapeDataString(AwsXml.Child(role, "AssumeRolePolicyDocument") ?? "{}"),
            int.TryParse(AwsXml.Child(role, "MaxSessionDuration"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) ? max : 3600);
    }

    public async Task<string> CreateRoleAsync(string roleName, string trustPolicy, int maxSessionDuration, CancellationToken cancellationToken = default)
    {
        var xml = await CallAsync("CreateRole", [new("RoleName", roleName), new("AssumeRolePolicyDocument", trustPolicy), new("MaxSessionDuration", Text(maxSessionDuration))], cancellationToken);
        return AwsXml.Descendants(xml, "Arn").First().Value;
    }

    public Task UpdateTrustPolicyAsync(string roleName, string trustPolicy, CancellationToken cancellationToken = default) =>
        CallAsync("UpdateAssumeRolePolicy", [new("RoleName", roleName), new("PolicyDocument", trustPolicy)], cancellationToken);

    public Task UpdateMaxSessionDurationAsync(string roleName, int maxSessionDuration, CancellationToken cancellationToken = default) =>
        CallAsync("UpdateRole", [new("RoleName", roleName), new("MaxSessionDuration", Text(maxSessionDuration))], cancellationToken);

    public async Task<IReadOnlyList<string>> ListRolePolicyNamesAsync(string roleName, CancellationToken cancellationToken = default)
    {
        var xml = await CallAsync("ListRolePolicies", [new("RoleName", roleName)], cancellationToken);
        return Members(xml, "PolicyNames");
    }

    public async Task<string?> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default)
    {
        var xml = await CallOrNullAsync("GetRolePolicy", [new("RoleName", roleName), new("PolicyName", policyName)], cancellationToken);
        return xml is null ? null : Uri.UnescapeDataString(AwsXml.Descendants(xml, "PolicyDocument").First().Value);
    }

    public Task PutRolePolicyAsync(string roleName, string policyName, string policy, CancellationToken cancellationToken = default) =>
        CallAsync("PutRolePolicy", [new("RoleName", roleName), new("PolicyName", policyName), new("PolicyDocument", policy)], cancellationToken);

    public Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default) =>
        CallAsync("DeleteRolePolicy", [new("RoleName", roleName), new("PolicyName", policyName)], cancellationToken);

    /// <summary>Creates the user unless it exists; true when it was created.</summary>
    public async Task<bool> EnsureUserAsync(string userName, CancellationToken cancellationToken = default)
    {
        try
        {
            await CallAsync("CreateUser", [new("UserName", userName)], cancellationToken);
            return true;
        }
        catch (AwsServiceException e) when (e.Code == "EntityAlreadyExists")
        {
            return false;
        }
    }

    public Task PutUserPolicyAsync(string userName, string policyName, string policy, CancellationToken cancellationToken = default) =>
        CallAsync("PutUserPolicy", [new("UserName", userName), new("PolicyName", policyName), new("PolicyDocument", policy)], cancellationToken);

    /// <summary>A new access key for the user. The secret is returned once and must never be printed.</summary>
    public async Task<ImmutableCredentials> CreateAccessKeyAsync(string userName, CancellationToken cancellationToken = default)
    {
        var xml = await CallAsync("CreateAccessKey", [new("UserName", userName)], cancellationToken);
        var key = AwsXml.Descendants(xml, "AccessKey").First();
        return new ImmutableCredentials(AwsXml.Child(key, "AccessKeyId"), AwsXml.Child(key, "SecretAccessKey"), null);
    }

    private Task<XElement> CallAsync(string action, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken) =>
        QueryApiCall.SendAsync(http, endpoint, "iam", region, credentials, [new("Action", action), new("Version", Version), .. parameters], cancellationToken);

    private async Task<XElement?> CallOrNullAsync(string action, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(action, parameters, cancellationToken);
        }
        catch (AwsServiceException e) when (e.Code == "NoSuchEntity")
        {
            return null;
        }
    }

    private static List<string> Members(XElement xml, string list) =>
        [.. AwsXml.Descendants(xml, list).SelectMany(l => l.Elements().Where(e => e.Name.LocalName == "member")).Select(m => m.Value)];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
