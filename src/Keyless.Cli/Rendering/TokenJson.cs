using Keyless.Identity;
using Keyless.Trust.Evaluation;

namespace Keyless.Cli.Rendering;

/// <summary>The JSON shapes of <c>keyless token inspect</c> and <c>keyless token verify</c> (stable contracts; never the token).</summary>
public static class TokenJson
{
    public static object Inspection(IdToken token, DateTimeOffset now, IReadOnlyList<RoleAccess> access) => new
    {
        header = Header(token),
        subject = Subject(token),
        expiresAt = Expiry(token),
        expiresInSeconds = token.Claims.Seconds("exp") - now.ToUnixTimeSeconds(),
        expired = token.Claims.Seconds("exp") is { } exp && exp < now.ToUnixTimeSeconds(),
        length = token.Length,
        claims = token.Claims.Root,
        roles = access.Select(a => new { role = a.Role, decision = a.Decision.ToString(), allowed = a.Allowed, reason = a.Reason }),
    };

    public static object Verification(IdTokenVerification result) => new
    {
        valid = result.Valid,
        error = result.Error?.ToString(),
        message = result.Message,
        detail = result.Detail,
        kid = result.Valid ? result.KeyId : null,
        header = result.Token is { } token ? Header(token) : null,
        subject = result.Token is { } withSubject ? Subject(withSubject) : null,
        expiresAt = result.Token is { } withExpiry ? Expiry(withExpiry) : null,
        claims = result.Claims?.Root,
    };

    private static object Header(IdToken token) => new { alg = token.Header.Algorithm, kid = token.Header.KeyId, typ = token.Header.Type };

    private static object? Subject(IdToken token) => token.Subject is { } subject
        ? new { projectPath = subject.ProjectPath, refType = subject.RefType, @ref = subject.Ref, components = subject.Components.ToDictionary(c => c.Key, c => c.Value) }
        : null;

    private static DateTimeOffset? Expiry(IdToken token) => token.Claims.Seconds("exp") is { } exp && exp is > -62135596800L and < 253402300799L
        ? DateTimeOffset.FromUnixTimeSeconds(exp)
        : null;
}
