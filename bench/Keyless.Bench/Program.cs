using Keyless.Bench;

// Usage: dotnet run -c Release --project bench/Keyless.Bench -- trust|sts|verify
switch (args.FirstOrDefault())
{
    case "trust":
        TrustBenchmark.Run();
        return 0;
    case "sts":
        await StsBenchmark.RunAsync();
        return 0;
    case "verify":
        await VerifyBenchmark.RunAsync();
        return 0;
    default:
        Console.Error.WriteLine("usage: Keyless.Bench trust|sts|verify");
        return 2;
}
