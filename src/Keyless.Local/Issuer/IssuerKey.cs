using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Keyless.Core;
using Microsoft.IdentityModel.Tokens;

namespace Keyless.Local.Issuer;

/// <summary>
/// The local issuer's RSA-2048 signing key, made on first use and kept as a PKCS#8 PEM file readable by its
/// owner only (mode 600, in a folder of mode 700). Its key id is the RFC 7638 JWK thumbprint.
/// </summary>
public sealed class IssuerKey : IDisposable
{
    public const string FileName = "signing-key.pem";
    public const int KeySizeBits = 2048;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly RSA _rsa;

    private IssuerKey(RSA rsa, string? path, bool created)
    {
        _rsa = rsa;
        Path = path;
        Created = created;
        KeyId = Thumbprint(rsa.ExportParameters(includePrivateParameters: false));
    }

    /// <summary>RFC 7638 thumbprint of the public key (SHA-256, base64url).</summary>
    public string KeyId { get; }

    /// <summary>The key file; null for an in-memory key.</summary>
    public string? Path { get; }

    /// <summary>True when this call made the key (first start), false when it was read back.</summary>
    public bool Created { get; }

    /// <summary>The key as Microsoft.IdentityModel wants it for verification, with its kid.</summary>
    public RsaSecurityKey SecurityKey => new(_rsa.ExportParameters(includePrivateParameters: false)) { KeyId = KeyId };

    /// <summary>Reads the key in <paramref name="directory"/>, or makes one there when there is none.</summary>
    public static IssuerKey LoadOrCreate(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        CreatePrivateFolder(directory);
        var path = System.IO.Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            return Load(path);
        }

        var rsa = RSA.Create(KeySizeBits);
        var temporary = System.IO.Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                writer.Write(rsa.ExportPkcs8PrivateKeyPem());
            }

            // Moving without overwrite fails when another process made the key first; then that key wins.
            File.Move(temporary, path, overwrite: false);
            return new IssuerKey(rsa, path, created: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            rsa.Dispose();
            return Load(path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A key that lives only in memory (tests, one-off tokens).</summary>
    public static IssuerKey InMemory() => new(RSA.Create(KeySizeBits), path: null, created: true);

    /// <summary>The public key as a JWK, the way GitLab publishes it: kty, kid, e, n, use, alg.</summary>
    public IReadOnlyDictionary<string, string> PublicJwk()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["kid"] = KeyId,
            ["e"] = Base64Url.EncodeToString(TrimLeadingZeros(parameters.Exponent!)),
            ["n"] = Base64Url.EncodeToString(TrimLeadingZeros(parameters.Modulus!)),
            ["use"] = "sig",
            ["alg"] = SecurityAlgorithms.RsaSha256,
        };
    }

    /// <summary>RS256: RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public byte[] SignRs256(ReadOnlySpan<byte> data) => _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>The RFC 7638 thumbprint: SHA-256 over <c>{"e":…,"kty":"RSA","n":…}</c> (members sorted, no spaces).</summary>
    public static string Thumbprint(RSAParameters parameters)
    {
        var e = Base64Url.EncodeToString(TrimLeadingZeros(parameters.Exponent!));
        var n = Base64Url.EncodeToString(TrimLeadingZeros(parameters.Modulus!));
        var canonical = $$"""{"e":"{{e}}","kty":"RSA","n":"{{n}}"}""";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public void Dispose() => _rsa.Dispose();

    private static IssuerKey Load(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~OwnerOnlyFile) != 0)
        {
            // A private key others can read is not private; put the mode back to 600.
            File.SetUnixFileMode(path, OwnerOnlyFile);
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw KeylessException.Input($"{path}: not an RSA private key in PEM form. Delete the file and start the local issuer again to make a new key.");
        }

        if (rsa.KeySize < KeySizeBits)
        {
            var size = rsa.KeySize;
            rsa.Dispose();
            throw KeylessException.Input($"{path}: the key has {size} bits; the local issuer needs at least {KeySizeBits}. Delete the file to make a new key.");
        }

        return new IssuerKey(rsa, path, created: false);
    }

    private static void CreatePrivateFolder(string directory)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnlyFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw LocalState.Unusable(directory, e);
        }
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
