using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Keyless.Trust;

namespace Keyless.Deploy.Publishing;

/// <summary>
/// The built site on disk as a release would publish it: every file with its size, MD5 and SHA-256 (read
/// in one streaming pass, never whole into memory), its kind and its headers. Names starting with
/// <c>.keyless</c> (the build manifest; the bucket's state folder) are never part of it.
/// </summary>
public sealed class SiteManifest
{
    /// <summary>The most a single PUT may carry; site files are uploaded single-part so their ETag stays their MD5.</summary>
    public const long MaxFileBytes = 5L * 1024 * 1024 * 1024;

    private const int BufferBytes = 1024 * 1024;

    private SiteManifest(string root, IReadOnlyList<ReleaseFile> files)
    {
        Root = root;
        Files = files;
    }

    public string Root { get; }

    /// <summary>The files in ordinal order of their paths.</summary>
    public IReadOnlyList<ReleaseFile> Files { get; }

    public string FullPath(ReleaseFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Path.Combine(Root, file.Path.Replace('/', Path.DirectorySeparatorChar));
    }

    public static Task<SiteManifest> ScanAsync(string folder, CacheControlPolicy cacheControl, CancellationToken cancellationToken = default) =>
        List(folder, cacheControl).HashAsync(cancellationToken);

    /// <summary>
    /// The folder checked and its files found, without reading them: what makes a deploy refuse a folder
    /// (missing, a file, empty, unreadable) is known at once; <see cref="SiteListing.HashAsync"/> reads the files.
    /// </summary>
    public static SiteListing List(string folder, CacheControlPolicy cacheControl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(cacheControl);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw KeylessException.Input(File.Exists(root)
                ? $"--site {folder}: this is a file; expected the folder of the built site (the one holding index.html)."
                : $"--site {folder}: no such folder ({root}). Build the site first (keyless site build writes dist/), or pass the folder that holds index.html.");
        }

        var build = BuildManifest.Load(root);
        var paths = Enumerate(root, folder);
        if (paths.Count == 0)
        {
            throw KeylessException.Input($"--site {folder}: the folder holds no files to publish ({root}). Build the site first; refusing to publish an empty release.");
        }

        return new SiteListing(folder, root, paths, build, cacheControl);
    }

    /// <summary>The files of a site folder, found but not read yet.</summary>
    public sealed class SiteListing
    {
        private readonly string _folder;
        private readonly string _root;
        private readonly List<(string Path, string Full)> _paths;
        private readonly BuildManifest? _build;
        private readonly CacheControlPolicy _cacheControl;

        internal SiteListing(string folder, string root, List<(string Path, string Full)> paths, BuildManifest? build, CacheControlPolicy cacheControl)
        {
            _folder = folder;
            _root = root;
            _paths = paths;
            _build = build;
            _cacheControl = cacheControl;
        }

        /// <summary>
        /// Reads every file once (size, MD5, SHA-256) on as many threads as there are processors: plain blocking
        /// reads, which keep the hashing CPU-bound, off the caller's thread.
        /// </summary>
        public async Task<SiteManifest> HashAsync(CancellationToken cancellationToken = default)
        {
            var files = new ReleaseFile[_paths.Count];
            void HashAll() => Parallel.For(
                0,
                _paths.Count,
                new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                i =>
                {
                    var (path, full) = _paths[i];
                    var (size, md5, sha256) = Hash(full, _folder, path, cancellationToken);
                    var kind = _build?.KindOf(path) ?? Fingerprints.Classify(path);
                    files[i] = new ReleaseFile(path, size, md5, sha256, ContentTypes.For(path), _cacheControl.For(path, kind), kind);
                });

            try
            {
                await Task.Factory.StartNew(HashAll, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                // The first file that could not be read, as it was thrown.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
            }

            return new SiteManifest(_root, files);
        }
    }

    /// <summary>Site paths (NFC, <c>/</c>-separated) and full paths, in ordinal order.</summary>
    private static List<(string Path, string Full)> Enumerate(string root, string folder)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            // Dot-files count as hidden on Unix; .well-known/ and friends are part of a site.
            AttributesToSkip = FileAttributes.None,
            IgnoreInaccessible = false,
        };
        try
        {
            return [.. Directory.EnumerateFiles(root, "*", options)
                .Select(full => (Path: Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/').Normalize(NormalizationForm.FormC), Full: full))
                .Where(f => !f.Path.Split('/').Any(segment => segment.StartsWith(".keyless", StringComparison.Ordinal)))
                .OrderBy(f => f.Path, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw KeylessException.Input($"--site {folder}: cannot read the folder ({e.Message}). Check its permissions.");
        }
    }

    private static (long Size, string Md5, string Sha256) Hash(string full, string folder, string path, CancellationToken cancellationToken)
    {
        // MD5 because it is what S3 reports as the ETag of a single-part upload, not for security.
#pragma warning disable CA5351
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length > MaxFileBytes)
            {
                throw KeylessException.Input(string.Create(CultureInfo.InvariantCulture,
                    $"--site {folder}: {path} is {stream.Length} bytes; a site file may be at most 5 GiB (one PUT, so its ETag stays its MD5). Serve it from elsewhere."));
            }

            long size = 0;
            int read;
            while ((read = stream.Read(buffer, 0, BufferBytes)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                md5.AppendData(buffer, 0, read);
                sha256.AppendData(buffer, 0, read);
                size += read;
            }

            return (size, Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw KeylessException.Input($"--site {folder}: cannot read {path} ({e.Message}).");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
