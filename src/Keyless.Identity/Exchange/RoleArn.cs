using System.Text.RegularExpressions;
using Keyless.Core;

namespace Keyless.Identity.Exchange;

/// <summary>An IAM role ARN, <c>arn:PARTITION:iam::ACCOUNT:role/PATH/NAME</c>, taken apart.</summary>
public sealed partial record RoleArn(string Value, string Partition, string Account, string Name)
{
    /// <summary>Parses <paramref name="value"/>; <paramref name="origin"/> (e.g. <c>--role</c>) names where it came from in the error.</summary>
    public static RoleArn Parse(string value, string origin)
    {
        ArgumentNullException.ThrowIfNull(value);
        var match = Pattern().Match(value.Trim());
        if (!match.Success)
        {
            throw KeylessException.Input(
                $"{origin} \"{value}\" is not an IAM role ARN; expected arn:aws:iam::ACCOUNT:role/NAME with a 12-digit account, e.g. arn:aws:iam::111122223333:role/deploy.");
        }

        return new RoleArn(match.Value, match.Groups["partition"].Value, match.Groups["account"].Value, match.Groups["name"].Value);
    }

    public override string ToString() => Value;

    // Role names: 1–64 characters of [\w+=,.@-]; an optional path of the same characters between slashes.
    [GeneratedRegex(@"^arn:(?<partition>aws(-[a-z]+)*):iam::(?<account>[0-9]{12}):role/([A-Za-z0-9_+=,.@-]+/)*(?<name>[A-Za-z0-9_+=,.@-]{1,64})$")]
    private static partial Regex Pattern();
}
