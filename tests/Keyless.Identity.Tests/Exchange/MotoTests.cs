using Keyless.Testing;

namespace Keyless.Identity.Tests.Exchange;

/// <summary>The tests that share one moto_server; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class MotoTests : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}
