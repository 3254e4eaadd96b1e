using System.Text;
using Xunit;

namespace Keyless.Testing;

/// <summary>Finds secrets left in files: every file under a folder, text or binary, read as bytes.</summary>
public static class SecretFiles
{
    /// <summary>
    /// The prefix of every session token moto's STS issues (moto/sts/utils.py): temporary credentials that reach a file
    /// show up by it without the test knowing the token.
    /// </summary>
    public const string MotoSessionTokenPrefix = "FQoGZXIvYXdzEBYaD";

    /// <summary>"file: name" for each named secret found in a file under <paramref name="folder"/>; none when clean.</summary>
    public static IReadOnlyList<string> Holding(string folder, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var patterns = secrets.Select(s => (Name: s.Key, Bytes: Encoding.UTF8.GetBytes(s.Value))).ToList();
        Assert.All(patterns, p => Assert.True(p.Bytes.Length >= 8, $"{p.Name} is too short to look for"));
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            var bytes = File.ReadAllBytes(file);
            found.AddRange(patterns.Where(p => bytes.AsSpan().IndexOf(p.Bytes) >= 0).Select(p => $"{Path.GetRelativePath(folder, file)}: {p.Name}"));
        }

        return found;
    }
}
