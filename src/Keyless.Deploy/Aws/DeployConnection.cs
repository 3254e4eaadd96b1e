using Keyless.Deploy.CloudFront;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Aws;

/// <summary>Opens the bucket and the distribution of a target with credentials: the seam the commands get their stores from.</summary>
public interface IDeployConnector
{
    Task<DeployConnection> ConnectAsync(DeployTarget target, CancellationToken cancellationToken);
}

/// <summary>The bucket, the distribution (when the target has one) and who we are to them.</summary>
public sealed class DeployConnection(IObjectStore store, ICdnInvalidator? cdn, string identity, IDisposable? resources = null) : IDisposable
{
    public IObjectStore Store => store;

    public ICdnInvalidator? Cdn => cdn;

    /// <summary>Who the credentials are, for messages: a role ARN or where the keys came from; never a secret.</summary>
    public string Identity => identity;

    public void Dispose() => resources?.Dispose();
}
