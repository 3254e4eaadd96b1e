using System.Text.Json;
using Keyless.Local.Issuer;

namespace Keyless.Cli.Tests.Support;

/// <summary>A folder with a signing key, its JWKS file and tokens written to files.</summary>
internal sealed class TokenFixture : IDisposable
{
    public const string Issuer = "https://gitlab.example.com";
    public const string Audience = "sts.amazonaws.com";

    /// <summary>2030-01-01T00:00:00Z.</summary>
    public const long Now = 1_893_456_000;

    private static readonly Lazy<IssuerKey> SharedKey = new(IssuerKey.InMemory);

    public TokenFixture()
    {
        Directory.CreateDirectory(Folder);
        JwksFile = Path.Combine(Folder, "jwks.json");
        File.WriteAllText(JwksFile, JsonSerializer.Serialize(new { keys = new[] { Key.PublicJwk() } }));
    }

    public static IssuerKey Key => SharedKey.Value;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "keyless-cli-tests-" + Guid.NewGuid().ToString("N"));

    public string JwksFile { get; }

    public static string Mint(string project = "acme/website", string gitRef = "main", long now = Now, string audience = Audience) =>
        new LocalTokenMinter(Key, Identity.FixedTimeProvider.AtUnixSeconds(now))
            .Mint(new MintRequest(Issuer, project, gitRef, RefType.Branch, audience));

    public string Write(string token, string name = "token.jwt")
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, token + "\n");
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
