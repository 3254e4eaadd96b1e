using System.Buffers.Text;
using System.Text;

namespace Keyless.Cli.Tests.Infrastructure;

/// <summary>A JWT with the given payload and a signature nobody made: for commands that only decode a token.</summary>
internal static class UnsignedJwt
{
    public static string For(string payloadJson) =>
        $"{Part("""{"alg":"RS256","kid":"unsigned","typ":"JWT"}""")}.{Part(payloadJson)}.{Part("not a signature")}";

    private static string Part(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
