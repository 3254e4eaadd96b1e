using Keyless.Local.Issuer;

namespace Keyless.Testing;

/// <summary>RSA-2048 keys are slow to make; the tests share three.</summary>
public static class Keys
{
    private static readonly Lazy<IssuerKey> LazyIssuer = new(IssuerKey.InMemory);
    private static readonly Lazy<IssuerKey> LazyRotated = new(IssuerKey.InMemory);
    private static readonly Lazy<IssuerKey> LazyAttacker = new(IssuerKey.InMemory);

    /// <summary>The identity provider's current key.</summary>
    public static IssuerKey Issuer => LazyIssuer.Value;

    /// <summary>The key the provider rotates to.</summary>
    public static IssuerKey Rotated => LazyRotated.Value;

    /// <summary>A key the provider never published.</summary>
    public static IssuerKey Attacker => LazyAttacker.Value;
}
