using Keyless.Bench;
using Keyless.Bench.Deploy;

// Usage: dotnet run -c Release --project bench/Keyless.Bench -- trust|sts|verify|deploy
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
    case "deploy":
        return await DeployBenchmark.RunAsync(args[1..]);
    case "raw-put":
        return await DeployBenchmark.RawPutAsync(args[1..]);
    case "raw-list":
        return await DeployBenchmark.RawListAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: Keyless.Bench trust|sts|verify|deploy [--quick] [--files N,N] [--delay MS,MS] [--runs N] [--contenders keyless,rclone-tuned,rclone,aws,raw] [--server s3rver|moto]");
        return 2;
}
