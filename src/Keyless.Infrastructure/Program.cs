using Keyless.Cdk;

namespace Keyless.Infrastructure;

/// <summary>
/// This repository's CDK app: <see cref="KeylessCdkApp"/> on the nearest <c>keyless.json</c>. <c>cdk synth</c> runs it
/// through <c>cdk.json</c>; plain <c>dotnet run --project src/Keyless.Infrastructure</c> synthesizes as well.
/// </summary>
public static class Program
{
    public static int Main() => KeylessCdkApp.Run();
}
