using Keyless.Core;
using Keyless.Core.Configuration;
using Keyless.Deploy.Releases;
using Keyless.Identity.Exchange;

namespace Keyless.Deploy.Aws;

/// <summary>Where a deploy goes: bucket, prefix, region, the distribution in front of it and its public URL.</summary>
public sealed record DeployTarget(string? Environment, BucketLayout Layout, string Region, string? Distribution, string? Url)
{
    /// <summary>The role to assume with the job's ID token (<c>--role</c>); <c>$AWS_ROLE_ARN</c> when null.</summary>
    public string? Role { get; init; }
}

/// <summary>What the command line says about the target; anything left out comes from keyless.json's environment.</summary>
public sealed record TargetOptions
{
    public string? Environment { get; init; }

    public string? Bucket { get; init; }

    public string? Prefix { get; init; }

    public string? Region { get; init; }

    public string? Distribution { get; init; }

    public string? Url { get; init; }

    public string? Role { get; init; }

    /// <summary>
    /// Options first, then the environment in <paramref name="config"/> (needed for <c>--env</c>), then for the
    /// region <c>$AWS_REGION</c>/<c>$AWS_DEFAULT_REGION</c> and us-east-1.
    /// </summary>
    public DeployTarget Resolve(KeylessConfig? config, IEnvironment environment, InputFiles files)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(files);
        EnvironmentSettings? settings = null;
        StackOutputs? outputs = null;
        if (Environment is { } name)
        {
            settings = (config ?? throw KeylessException.Input($"--env {name} reads keyless.json, which was not found; pass --config FILE, or name the bucket with --bucket.")).Environment(name);
            outputs = ReadOutputs(environment, files);
        }

        var bucket = Bucket ?? settings?.Bucket ?? outputs?.Bucket(settings!.Name)
            ?? throw KeylessException.Input(settings is null
                ? "Name the target: --env NAME (an environment of keyless.json) or --bucket NAME."
                : $"{config!.Source}: environment \"{settings.Name}\" names no bucket, and no stack outputs file names one ({StackOutputs.BucketNameKey(settings.Name)}). Save the stack outputs as cdk-outputs.json (`cdk deploy --outputs-file cdk-outputs.json`, or `aws cloudformation describe-stacks --stack-name STACK > cdk-outputs.json`) or point ${StackOutputs.FileVariable} at them, add \"bucket\" to environments.{settings.Name}, or pass --bucket NAME.");
        if (!AwsNames.IsBucketName(bucket))
        {
            throw KeylessException.Input($"--bucket \"{bucket}\": expected an S3 bucket name, 3-63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit.");
        }

        var region = Region ?? (settings is not null ? config!.Aws.Region : null) ?? EnvironmentNames.ConfiguredRegion(environment) ?? EnvironmentNames.FallbackRegion;
        var url = Url ?? settings?.Url ?? (settings is null ? null : outputs?.Url(settings.Name));
        if (url is not null && !HttpUrl.Is(url))
        {
            throw KeylessException.Input($"--url \"{url}\": expected the site's absolute http(s) URL, such as https://www.example.com/.");
        }

        var distribution = Distribution ?? settings?.Distribution ?? (settings is null ? null : outputs?.Distribution(settings.Name));
        if (distribution is not null && !(distribution.Length <= 64 && distribution.All(char.IsAsciiLetterOrDigit)))
        {
            throw KeylessException.Input($"--distribution \"{distribution}\": expected a CloudFront distribution ID, letters and digits such as E2QWRUHEXAMPLE (the DistributionId of `aws cloudfront list-distributions`).");
        }

        var role = Role ?? (settings is null ? null : outputs?.RoleArn(settings.Name));
        return new DeployTarget(settings?.Name, new BucketLayout(bucket, Prefix ?? settings?.Prefix), region, distribution, url) { Role = role };
    }

    // $KEYLESS_OUTPUTS, else ./cdk-outputs.json when it exists: what `cdk deploy --outputs-file` wrote or
    // `aws cloudformation describe-stacks` printed.
    private static StackOutputs? ReadOutputs(IEnvironment environment, InputFiles files)
    {
        var path = environment.Variable(StackOutputs.FileVariable) is { Length: > 0 } named ? named : files.FileExists(StackOutputs.DefaultFile) ? StackOutputs.DefaultFile : null;
        if (path is null)
        {
            return null;
        }

        return files.FileExists(path)
            ? StackOutputs.Parse(path, files.Read(path, "$" + StackOutputs.FileVariable))
            : throw KeylessException.Input($"${StackOutputs.FileVariable} names {path}, which does not exist. Point it at the stack outputs (the file `cdk deploy --outputs-file` wrote, or what `aws cloudformation describe-stacks` printed), or unset it.");
    }
}
