using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace Keyless.Cdk;

/// <summary>What the GitLab OIDC provider is for: the instance, the audience of its tokens, and an existing provider to use instead.</summary>
public sealed class GitLabOidcProviderProps
{
    /// <summary>The GitLab instance URL, which equals the <c>iss</c> of its ID tokens, e.g. <c>https://gitlab.com</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The <c>aud</c> of the deploy jobs' ID tokens: the provider's only client ID.</summary>
    public required string Audience { get; init; }

    /// <summary>Certificate thumbprints, only for an instance whose certificate no public CA signs; none otherwise.</summary>
    public IReadOnlyList<string> Thumbprints { get; init; } = [];

    /// <summary>
    /// The ARN of a provider the account already has for this URL (there can only be one per URL): the construct
    /// then creates nothing and only refers to it. That provider must list <see cref="Audience"/> as a client ID.
    /// </summary>
    public string? ExistingProviderArn { get; init; }
}

/// <summary>
/// The account's IAM OIDC identity provider for a GitLab instance, or a reference to the one it already has.
/// A created provider is retained when the stack is deleted: other stacks and roles of the account may trust it.
/// </summary>
public sealed class GitLabOidcProvider : Construct
{
    public GitLabOidcProvider(Construct scope, string id, GitLabOidcProviderProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.ExistingProviderArn is { } existing)
        {
            Arn = existing;
            return;
        }

        var provider = new CfnOIDCProvider(this, "Resource", new CfnOIDCProviderProps
        {
            Url = props.Url,
            ClientIdList = [props.Audience],
            // IAM trusts the JWKS endpoint's public CA; a thumbprint only matters for a private CA.
            ThumbprintList = props.Thumbprints.Count > 0 ? [.. props.Thumbprints] : null,
        });
        provider.ApplyRemovalPolicy(RemovalPolicy.RETAIN);
        Arn = provider.AttrArn;
    }

    /// <summary>The provider's ARN: the Federated principal of the deploy roles.</summary>
    public string Arn { get; }
}
