using Keyless.Deploy.Aws;
using Keyless.Deploy.Storage;

namespace Keyless.Deploy.Tests.Support;

/// <summary>The real connector, with the bucket's store wrapped (recording, failing).</summary>
internal sealed class WrappingConnector(IDeployConnector inner, Func<IObjectStore, IObjectStore> wrap) : IDeployConnector
{
    public async Task<DeployConnection> ConnectAsync(DeployTarget target, CancellationToken cancellationToken)
    {
        var connection = await inner.ConnectAsync(target, cancellationToken);
        return new DeployConnection(wrap(connection.Store), connection.Cdn, connection.Identity, connection);
    }
}
