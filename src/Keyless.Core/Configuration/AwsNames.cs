using System.Text.RegularExpressions;

namespace Keyless.Core.Configuration;

/// <summary>The shapes of AWS account IDs and Region names, shared by keyless.json and the command line.</summary>
public static partial class AwsNames
{
    /// <summary>An account ID: exactly 12 digits (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html).</summary>
    public static bool IsAccount(string value) => AccountPattern().IsMatch(value);

    /// <summary>
    /// A Region code as AWS writes them (https://docs.aws.amazon.com/general/latest/gr/rande.html):
    /// an area of two to four letters, an optional partition or country part (gov, isob, de…), a direction and a
    /// number — eu-central-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1. The shape, not a list, so that
    /// Regions opened later are accepted; what it refuses (mars-1, Frankfurt, us_east_1) no Region is called.
    /// </summary>
    public static bool IsRegion(string value) => RegionPattern().IsMatch(value);

    /// <summary>
    /// An S3 bucket name: 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or
    /// digit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
    /// </summary>
    public static bool IsBucketName(string value) => BucketPattern().IsMatch(value);

    /// <summary>A CloudFront distribution ID: up to 32 capital letters and digits, such as E2QWRUHAPOMQZL.</summary>
    public static bool IsDistributionId(string value) => DistributionPattern().IsMatch(value);

    /// <summary>
    /// A client ID (audience) of an IAM OIDC provider: 1 to 255 characters, as CreateOpenIDConnectProvider takes
    /// them (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html).
    /// </summary>
    public static bool IsClientId(string value) => value.Length is >= 1 and <= 255 && !value.Any(char.IsControl);

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex(@"^[A-Z0-9]{1,32}$")]
    private static partial Regex DistributionPattern();

    [GeneratedRegex(@"^[0-9]{12}$")]
    private static partial Regex AccountPattern();

    [GeneratedRegex(@"^[a-z]{2,4}(-[a-z]+)?-[a-z]+-[0-9]{1,2}$")]
    private static partial Regex RegionPattern();
}
