using Keyless.Deploy.Publishing;
using Keyless.Deploy.Storage;
using Keyless.Testing;

namespace Keyless.Deploy.Tests.Support;

/// <summary>Deploys, rollbacks and prunes through the engine's front door against the fixture's moto.</summary>
internal static class Deploys
{
    public static Task<DeployOutcome> DeployAsync(
        this MotoFixture moto,
        string bucket,
        SiteFolder site,
        string release,
        Func<IObjectStore, IObjectStore>? wrap = null,
        CacheControlPolicy? cacheControl = null,
        bool dryRun = false,
        string? distribution = null,
        bool wait = false,
        int retain = Planner.DefaultRetain,
        string? prefix = null)
    {
        var request = new DeployRequest(site.Path, site.Files, new DeployOptions(release, DateTimeOffset.UtcNow) { Retain = retain })
        {
            CacheControl = cacheControl ?? CacheControlPolicy.Default,
            DryRun = dryRun,
            Wait = wait,
        };
        return Deployer(moto, wrap).DeployAsync(MotoFixture.Target(bucket, prefix, distribution), request, null, CancellationToken.None);
    }

    public static Task<DeployOutcome> RollbackAsync(this MotoFixture moto, string bucket, string? to = null, Func<IObjectStore, IObjectStore>? wrap = null, string? distribution = null) =>
        Deployer(moto, wrap).RollbackAsync(MotoFixture.Target(bucket, distribution: distribution), new RollbackRequest(to), null, CancellationToken.None);

    public static Task<DeployPlan> PruneAsync(this MotoFixture moto, string bucket, bool dryRun = false, string? prefix = null) =>
        Deployer(moto, null).PruneAsync(MotoFixture.Target(bucket, prefix), Planner.DefaultRetain, dryRun, null, CancellationToken.None);

    public static Task<IReadOnlyList<ReleaseSummary>> ReleasesAsync(this MotoFixture moto, string bucket) =>
        Deployer(moto, null).ReleasesAsync(MotoFixture.Target(bucket), Planner.DefaultRetain, CancellationToken.None);

    private static SiteDeployer Deployer(MotoFixture moto, Func<IObjectStore, IObjectStore>? wrap) =>
        new(wrap is null ? moto.Connector() : new WrappingConnector(moto.Connector(), wrap), TimeProvider.System, moto.Http);
}
