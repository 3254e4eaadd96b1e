using Keyless.Core;
using Keyless.Trust.Evaluation;
using Keyless.Trust.Policies;

namespace Keyless.Cli.Commands.Trust;

/// <summary>Turns --provider-url/--client-id into the account's providers, falling back to a template's.</summary>
internal static class ProviderOptions
{
    public static IReadOnlyList<OidcProvider> Resolve(IReadOnlyList<string> urls, IReadOnlyList<string> clientIds, TrustDocumentSet set)
    {
        if (urls.Count == 0)
        {
            return set.Providers.Count > 0
                ? set.Providers.Select(p => clientIds.Count > 0 ? p with { ClientIds = clientIds } : p).ToList()
                : throw KeylessException.Input($"--provider-url is required: {set.Source} declares no AWS::IAM::OIDCProvider. Name the account's OIDC provider URL, e.g. --provider-url https://gitlab.com.");
        }

        if (clientIds.Count == 0)
        {
            throw KeylessException.Input("--client-id is required with --provider-url: give the provider's client-ID (audience) list, e.g. --client-id https://gitlab.com.");
        }

        foreach (var url in urls)
        {
            if (!HttpUrl.Is(url))
            {
                throw KeylessException.Input($"--provider-url {url}: not an absolute http(s) URL; expected the issuer URL, e.g. https://gitlab.com.");
            }
        }

        return urls.Select(url => new OidcProvider(url, clientIds)).ToList();
    }
}
