using System.Text;

namespace Keyless.Core;

/// <summary>
/// Reads the text files a user names (policies, claims, templates, configs, tokens, key sets), turning every way
/// a file can be unusable — missing, a folder, unreadable, too large, binary, not UTF-8 — into one input error
/// that names the option and the file as the user gave it. Relative paths are relative to the working folder it
/// is made with, and <c>-</c> is the standard input it is made with: a command's, not necessarily the process's.
/// </summary>
public sealed class InputFiles(string workingFolder, TextReader standardInput)
{
    /// <summary>
    /// The largest input read: four times CloudFormation's largest template (1 MB, from S3), far above any policy,
    /// token or config. Anything bigger is the wrong file.
    /// </summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The folder relative paths are relative to.</summary>
    public string WorkingFolder { get; } = Path.GetFullPath(workingFolder);

    /// <summary>Where <paramref name="path"/> is: itself when absolute, else under <see cref="WorkingFolder"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingFolder);

    /// <summary>Whether <paramref name="path"/> names a file.</summary>
    public bool FileExists(string path) => File.Exists(FullPath(path));

    /// <summary>Reads a file, or standard input for <c>-</c>; <paramref name="option"/> is how the user named it (e.g. <c>--policy</c>).</summary>
    public string Read(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "-")
        {
            return standardInput.ReadToEnd();
        }

        return Decode(ReadBytes(path, option), path, option);
    }

    /// <summary>
    /// The full path of a folder the user names; an input error when it is a file or missing, naming it as
    /// <paramref name="name"/> and saying what was <paramref name="expected"/> and how to <paramref name="fix"/> it.
    /// </summary>
    public string Folder(string folder, string name, string expected, string fix)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var full = FullPath(folder);
        return Directory.Exists(full)
            ? full
            : throw KeylessException.Input(File.Exists(full)
                ? $"{name}: this is a file; expected {expected}. {fix}"
                : $"{name}: no such folder ({full}). {fix}");
    }

    /// <summary>The file's bytes; an input error for anything but a readable file of at most <see cref="MaxBytes"/>.</summary>
    public byte[] ReadBytes(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Trim().Length == 0)
        {
            throw KeylessException.Input($"{option}: the file name is empty; name a file.");
        }

        var full = FullPath(path);
        if (Directory.Exists(full))
        {
            throw KeylessException.Input($"{option} {path}: is a folder; expected a file. Name a file inside it.");
        }

        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.CanSeek && stream.Length > MaxBytes)
            {
                throw TooLarge(path, option, stream.Length);
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.Length <= MaxBytes ? buffer.ToArray() : throw TooLarge(path, option, buffer.Length);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw KeylessException.Input($"{option} {path}: no such file. Check the path (it is relative to {WorkingFolder}).");
        }
        catch (UnauthorizedAccessException)
        {
            throw KeylessException.Input($"{option} {path}: permission denied; make the file readable or name another.");
        }
        catch (IOException e)
        {
            throw KeylessException.Input($"{option} {path}: cannot be read ({e.Message}).");
        }
    }

    private static string Decode(byte[] bytes, string path, string option)
    {
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            var offset = e.Index >= 0 ? $" (byte {e.Index + start})" : "";
            throw KeylessException.Input($"{option} {path}: not UTF-8 text{offset}; expected a text file. Save it as UTF-8, or name the right file.");
        }

        return text.Contains('\0', StringComparison.Ordinal)
            ? throw KeylessException.Input($"{option} {path}: a binary file (it holds NUL bytes); expected a text file.")
            : text;
    }

    private static KeylessException TooLarge(string path, string option, long length) =>
        KeylessException.Input($"{option} {path}: {length} bytes, more than the {MaxBytes} an input may have; is it the right file?");
}
