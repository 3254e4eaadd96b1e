using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Keyless.Core;
using Keyless.Core.Contracts;

namespace Keyless.Deploy.Publishing;

/// <summary>
/// The built site on disk as a release would publish it: every file with its size, MD5 and SHA-256 (read
/// streaming, never whole into memory), its kind and its headers. Names starting with
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

    public static Task<SiteManifest> ScanAsync(string folder, InputFiles files, CacheControlPolicy cacheControl, CancellationToken cancellationToken = default) =>
        List(folder, files, cacheControl).HashAsync(cancellationToken);

    /// <summary>
    /// The folder checked and its files found, without reading them: what makes a deploy refuse a folder
    /// (missing, a file, empty, unreadable) is known at once; <see cref="SiteListing.HashAsync"/> reads the files.
    /// </summary>
    public static SiteListing List(string folder, InputFiles files, CacheControlPolicy cacheControl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(cacheControl);
        var root = files.Folder(folder, $"--site {folder}", "the folder of the built site (the one holding index.html)", "Build the site first (keyless site build writes dist/), or pass the folder that holds index.html.");

        var build = BuildManifest.Load(root, files);
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

        /// <summary>Every file's size, SHA-256 and MD5, none known beforehand.</summary>
        public async Task<SiteManifest> HashAsync(CancellationToken cancellationToken = default) =>
            await (await IdentifyAsync(cancellationToken)).CompleteAsync(KnownMd5s.None, cancellationToken);

        /// <summary>
        /// Reads every file once for its size and SHA-256, on as many threads as there are processors: plain
        /// blocking reads, which keep the hashing CPU-bound, off the caller's thread. SHA-256 first because it is
        /// the fast one (hardware SHA extensions run it at over twice MD5's speed) and it alone tells which
        /// files a release already holds; MD5 is then needed only for content no release record describes.
        /// </summary>
        public async Task<IdentifiedSite> IdentifyAsync(CancellationToken cancellationToken = default)
        {
            var files = new IdentifiedFile[_paths.Count];
            await HashInParallelAsync(_paths.Count, i =>
            {
                var (path, full) = _paths[i];
                var (size, sha256, lastWrite) = Digest(full, _folder, path, HashAlgorithmName.SHA256, cancellationToken);
                files[i] = new IdentifiedFile(path, full, size, sha256, lastWrite);
            }, cancellationToken);
            return new IdentifiedSite(this, files);
        }

        internal ReleaseFile Describe(IdentifiedFile file, string md5)
        {
            var (kind, headers) = Publication(file.Path);
            return new ReleaseFile(file.Path, file.Size, md5, file.Sha256, headers.ContentType, headers.CacheControl, kind);
        }

        /// <summary>Whether the file is fingerprinted or an entry point, and the headers it is served with.</summary>
        internal (FileKind Kind, Storage.ObjectHeaders Headers) Publication(string path)
        {
            var kind = _build is not null && _build.Files.TryGetValue(path, out var built)
                ? built.Fingerprinted ? FileKind.Fingerprinted : FileKind.EntryPoint
                : Fingerprints.Classify(path);
            return (kind, new Storage.ObjectHeaders(ContentTypes.For(path), _cacheControl.For(path, kind)));
        }

        internal string Md5(IdentifiedFile file, CancellationToken cancellationToken)
        {
            // MD5 because it is what S3 reports as the ETag of a single-part upload, not for security.
#pragma warning disable CA5351
            var (size, md5, lastWrite) = Digest(file.Full, _folder, file.Path, HashAlgorithmName.MD5, cancellationToken);
#pragma warning restore CA5351
            return size == file.Size && lastWrite == file.LastWrite
                ? md5
                : throw KeylessException.Input($"--site {_folder}: {file.Path} changed while it was being read. Let the build finish before deploying; nothing was published.");
        }

        internal SiteManifest Manifest(IReadOnlyList<ReleaseFile> files) => new(_root, files);
    }

    /// <summary>A site file read once: its size, SHA-256 and last write time (a second read checks the file did not change).</summary>
    public sealed record IdentifiedFile(string Path, string Full, long Size, string Sha256, DateTime LastWrite);

    /// <summary>The site's files identified by SHA-256; their MD5s (S3's ETags) still to find.</summary>
    public sealed class IdentifiedSite
    {
        private readonly SiteListing _listing;

        internal IdentifiedSite(SiteListing listing, IReadOnlyList<IdentifiedFile> files)
        {
            _listing = listing;
            Files = files;
        }

        public IReadOnlyList<IdentifiedFile> Files { get; }

        /// <summary>Whether the file is fingerprinted or an entry point, and the headers it is served with, as its release file will say.</summary>
        public (FileKind Kind, Storage.ObjectHeaders Headers) Publication(IdentifiedFile file)
        {
            ArgumentNullException.ThrowIfNull(file);
            return _listing.Publication(file.Path);
        }

        /// <summary>The file's MD5, read again (and checked unchanged since it was identified).</summary>
        public string Md5(IdentifiedFile file, CancellationToken cancellationToken = default) => _listing.Md5(file, cancellationToken);

        /// <summary>The MD5s of <paramref name="files"/>, read on as many threads as there are processors.</summary>
        public async Task<KnownMd5s> Md5sAsync(IReadOnlyList<IdentifiedFile> files, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(files);
            var md5s = new string[files.Count];
            await HashInParallelAsync(files.Count, i => md5s[i] = _listing.Md5(files[i], cancellationToken), cancellationToken);
            return KnownMd5s.Of(files.Select((f, i) => (f.Sha256, f.Size, md5s[i])));
        }

        /// <summary>
        /// The manifest: each file's MD5 taken from <paramref name="known"/> (content a release record already
        /// describes, by SHA-256 and size) or else read again and computed. A redeploy thus reads twice only
        /// what changed; a file that changes between the two reads stops the deploy.
        /// </summary>
        public async Task<SiteManifest> CompleteAsync(KnownMd5s known, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(known);
            var all = known.With(await Md5sAsync([.. Files.Where(f => known.Find(f.Sha256, f.Size) is null)], cancellationToken));
            return _listing.Manifest([.. Files.Select(f => _listing.Describe(f, all.Find(f.Sha256, f.Size)!))]);
        }
    }

    private static async Task HashInParallelAsync(int count, Action<int> hash, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        void HashAll() => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, hash);
        try
        {
            await Task.Factory.StartNew(HashAll, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // The first file that could not be read, as it was thrown.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
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

    /// <summary>One streaming read of a file: its size, its digest (hex) and when it was last written, as of opening it.</summary>
    private static (long Size, string Digest, DateTime LastWrite) Digest(string full, string folder, string path, HashAlgorithmName algorithm, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var lastWrite = File.GetLastWriteTimeUtc(stream.SafeFileHandle);
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
                hash.AppendData(buffer, 0, read);
                size += read;
            }

            return (size, Convert.ToHexStringLower(hash.GetHashAndReset()), lastWrite);
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
