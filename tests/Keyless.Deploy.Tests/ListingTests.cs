using System.Text;
using Amazon.S3.Model;
using CsCheck;
using Keyless.Deploy.Releases;
using Keyless.Deploy.Storage;
using Keyless.Deploy.Tests.Support;

namespace Keyless.Deploy.Tests;

/// <summary>The listing cut into key ranges read side by side returns exactly what one listing does.</summary>
public sealed class ListingTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    // Keys that sort differently by UTF-16 code units and by code points (S3's order): an emoji (above U+FFFF)
    // against U+FFFD, plus ASCII neighbours of '/'.
    private static readonly string[] Awkward = ["site/\U0001F600.html", "site/\uFFFD.html", "site/a-b", "site/a.b", "site/a/b", "site/a0", "site/\u00E9t\u00E9.html"];

    private static readonly string[] Outside = ["other/x", "a", "zzz", "site"];

    /// <summary>Keys mixing ASCII, Latin-1, U+E000–U+FFFD and emoji (above U+FFFF): where UTF-8 and UTF-16 orders part.</summary>
    private static readonly Gen<string> AnyKey = Gen.Frequency(
        (3, Gen.Frequency((4, Gen.Char['a', 'z']), (1, Gen.Char['\u00e0', '\u00ff']), (1, Gen.Char['\ue000', '\ufffd'])).Array[0, 4].Select(chars => new string(chars))),
        (2, Gen.Int[0x1F600, 0x1F64F].Select(char.ConvertFromUtf32))).Array[0, 3].Select(string.Concat);

    [Fact]
    public async Task Should_ListEveryKeyOnceInOrder_When_TheCutsAreAnywhere()
    {
        // Given a bucket of 2,600 keys (three pages) under a prefix, and some outside it
        var bucket = await moto.NewBucketAsync();
        var keys = Enumerable.Range(0, 2600).Select(i => $"site/{(char)('a' + (i % 26))}/{i:D5}.html").Concat(Awkward).Concat(["other/x", "sitemap.xml"]).ToList();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, token) =>
            await moto.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key, UseChunkEncoding = false }, token));
        var store = Store(bucket);
        var whole = await store.ListAsync("site/", ListingCuts.None, CancellationToken.None);

        Assert.Equal(2600 + Awkward.Length, whole.Count);
        Assert.Equal(whole.Select(o => o.Key).Order(S3KeyOrder.Instance), whole.Select(o => o.Key));

        // When it is listed again cut at random points: existing keys, keys that are not there, keys outside the
        // prefix, duplicates, with any expected range size
        var inside = Gen.Int[0, whole.Count - 1].Select(i => whole[i].Key);
        var absent = Gen.String[Gen.Char["abz/0-."], 0, 8].Select(s => "site/" + s);
        var outside = Gen.Int[0, Outside.Length - 1].Select(i => Outside[i]);
        var cuts = Gen.Frequency((4, inside), (2, absent), (1, outside)).Array[0, 24];
        await Gen.Select(cuts, Gen.Int[1, 1500]).SampleAsync(
            async (after, perRange) =>
            {
                var listed = await store.ListAsync("site/", new ListingCuts(after, perRange), CancellationToken.None);

                // Then it is the same listing, key for key
                Assert.Equal(whole.Select(o => (o.Key, o.ETag, o.Size)), listed.Select(o => (o.Key, o.ETag, o.Size)));
            },
            iter: 25);
    }

    [Fact]
    public void Should_CompareKeysWithAnAsciiCutAlikeInEveryOrder_When_KeysHaveAnyCharacters()
    {
        // Why the listing cuts only at ASCII keys: against such a cut, S3's order (UTF-8 bytes) and UTF-16 order
        // (s3rver's) agree, so a range stops at the same key whichever order the server lists in.
        var cut = Gen.String[Gen.Char[' ', '~'], 0, 6];
        Gen.Select(AnyKey, cut).Sample((k, c) =>
            Assert.Equal(Math.Sign(string.CompareOrdinal(k, c)), Math.Sign(S3KeyOrder.Instance.Compare(k, c))));
    }

    [Fact]
    public async Task Should_ReportTheRefusal_When_ARangeFails()
    {
        var store = Store("kl-no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]);

        var error = await Assert.ThrowsAsync<Keyless.Trust.KeylessException>(() =>
            store.ListAsync("", new ListingCuts(["b", "m", "t"], 10), CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_OrderKeysAsS3Does_When_Compared()
    {
        // S3 lists keys in the order of their UTF-8 bytes.
        Gen.Select(AnyKey, AnyKey).Sample((a, b) =>
            Assert.Equal(
                Math.Sign(Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b))),
                Math.Sign(S3KeyOrder.Instance.Compare(a, b))));
    }

    [Fact]
    public void Should_CutTheExpectedKeysIntoRangesOfUnderAPage_When_TheSiteIsLarge()
    {
        var layout = new BucketLayout("b", "www/");
        Gen.Int[0, 40_000].Sample(
            count =>
            {
                var paths = Enumerable.Range(0, count).Select(i => $"p/{i * 7919 % 100_003:D6}.html").ToList();
                var cuts = ReleaseStore.Cuts(layout, paths);

                var keys = paths.Select(layout.SiteKey).Order(S3KeyOrder.Instance).ToList();
                var ranges = Math.Min(ReleaseStore.MaxRanges, (count + ReleaseStore.PageKeys - 1) / ReleaseStore.PageKeys);
                Assert.Equal(Math.Max(0, ranges - 1), cuts.After.Count);
                Assert.Equal(cuts.After.Order(S3KeyOrder.Instance), cuts.After);
                Assert.All(cuts.After, cut => Assert.StartsWith("www/", cut, StringComparison.Ordinal));

                // Every range holds at most the expected number of keys, and that fits a page unless the ranges ran out
                var bounds = cuts.After.Select(c => keys.IndexOf(c)).Prepend(-1).Append(keys.Count - 1).ToList();
                var sizes = bounds.Zip(bounds.Skip(1), (a, b) => b - a).ToList();
                Assert.All(sizes, size => Assert.InRange(size, 0, cuts.KeysPerRange));
                if (ranges < ReleaseStore.MaxRanges)
                {
                    Assert.True(cuts.KeysPerRange <= ReleaseStore.PageKeys);
                }
            },
            iter: 60);
    }

    private S3ObjectStore Store(string bucket) => new(moto.S3, bucket, new StoreContext(moto.Server.Url.ToString(), "test", s => s));
}
