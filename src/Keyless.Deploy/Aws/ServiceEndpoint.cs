using Keyless.Core;
using Keyless.Identity.Exchange;

namespace Keyless.Deploy.Aws;

/// <summary>A custom endpoint for one service, as the AWS SDKs and CLI read it: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, else <c>AWS_ENDPOINT_URL</c>.</summary>
public static class ServiceEndpoint
{
    /// <summary>The endpoint the environment names for the service; null when neither variable is set.</summary>
    public static Uri? From(IEnvironment environment, string serviceVariable, string fix)
    {
        ArgumentNullException.ThrowIfNull(environment);
        foreach (var variable in new[] { serviceVariable, EnvironmentNames.EndpointUrl })
        {
            if (environment.Variable(variable) is { } text && !string.IsNullOrWhiteSpace(text))
            {
                var url = text.Trim();
                return HttpUrl.TryParse(url, out var uri)
                    ? uri
                    : throw KeylessException.Input($"${variable} is \"{url}\", which is not an absolute http(s) URL; {fix}.");
            }
        }

        return null;
    }
}
