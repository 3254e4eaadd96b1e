using System.Security.Cryptography;
using System.Text;

namespace Keyless.Stack;

/// <summary>The names the stack derives from the config: the stack's name and the account-unique names of its CloudFront parts.</summary>
public static class StackNames
{
    /// <summary><c>Keyless-</c> and the project path with every character CloudFormation forbids turned into a dash.</summary>
    public static string Stack(string project)
    {
        var slug = new StringBuilder();
        foreach (var c in project)
        {
            var keep = char.IsAsciiLetterOrDigit(c);
            if (keep || (slug.Length > 0 && slug[^1] != '-'))
            {
                slug.Append(keep ? c : '-');
            }
        }

        return $"Keyless-{slug.ToString().TrimEnd('-')}";
    }

    /// <summary>
    /// <c>STACK-PART</c>, for names CloudFront requires to be unique in the account (cache and headers policies,
    /// functions, origin access controls); when longer than <paramref name="maxLength"/>, cut and ended with a
    /// hash of the whole so that two long names still differ.
    /// </summary>
    public static string Unique(string stack, string part, int maxLength)
    {
        var name = $"{stack}-{part}";
        if (name.Length <= maxLength)
        {
            return name;
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return $"{name[..(maxLength - hash.Length - 1)]}-{hash}";
    }
}
