using System.Text;

namespace Keyless.Infrastructure;

/// <summary>The names the stack derives from the config: the stack name and the environment's output prefix.</summary>
public static class Names
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
}
