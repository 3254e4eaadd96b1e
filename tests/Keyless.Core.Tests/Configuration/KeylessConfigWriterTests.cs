using CsCheck;
using Keyless.Core.Configuration;
using Keyless.Testing;

namespace Keyless.Core.Tests.Configuration;

public sealed class KeylessConfigWriterTests
{
    private static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<string> Word = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"], 1, 10].Select(s => "a" + s);

    private static readonly Gen<EnvironmentSettings> Environment =
        Gen.Select(
            Word,
            Gen.Select(Pick("branch", "tag"), Gen.OneOf(Word, Word.Select(w => w + "/*"), Word.Select(w => "v" + w + "*"))).Select((t, p) => new ExpectedRef(t, p)).List[1, 3],
            Gen.Bool,
            Gen.Bool,
            Word.Select(w => w + "-site").Null(),
            Pick("PriceClass_100", "PriceClass_200", "PriceClass_All"),
            Gen.Select(Word, Word).Select((a, b) => a + "/" + b).Null(),
            Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"], 1, 14].Null())
        .Select((name, refs, isProtected, manual, bucket, priceClass, prefix, distribution) =>
            new EnvironmentSettings(name, refs, isProtected, manual, bucket, bucket is null ? null : $"https://{bucket}.example.com", priceClass, [], null, Distribution: distribution, Prefix: prefix));

    private static readonly Gen<KeylessConfig> Config =
        Gen.Select(
            Pick("https://gitlab.com", "https://gitlab.example.com", "https://code.example.org/gitlab"),
            Gen.Select(Word, Word, Word.Null()).Select((g, p, s) => s is null ? $"{g}/{p}" : $"{g}/{s}/{p}"),
            Gen.Long[1, 99_999_999].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Long[1, 99_999_999].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).Null(),
            Pick("eu-central-1", "us-east-1", "ap-southeast-2"),
            Environment.List[1, 3].Where(list => list.Select(e => e.Name).Distinct().Count() == list.Count),
            Gen.Select(Word, Word).Select((f, v) => new CacheControlRule("*." + f, "public, max-age=" + v.Length)).List[0, 2].Null())
        .Select((url, project, projectId, namespaceId, region, environments, rules) => new KeylessConfig(
            "keyless.json",
            new GitLabSettings(url, project, projectId, namespaceId, "main", "sts.amazonaws.com"),
            new AwsSettings("111122223333", region),
            new SiteSettings("site", "public", rules),
            environments,
            []));

    [Fact]
    public void Should_ReadBackTheSameConfig_When_AnyConfigIsWritten()
    {
        Config.Sample(config =>
        {
            var written = KeylessConfigWriter.Write(config);
            var read = KeylessConfigParser.Parse("keyless.json", written);

            Assert.Equal(written, KeylessConfigWriter.Write(read));
            Assert.Equal(config.GitLab, read.GitLab);
            Assert.Equal(config.Aws, read.Aws);
            Assert.Equal(config.Environments.Select(e => (e.Name, string.Join(",", e.Refs), e.ProtectedOnly, e.Manual, e.Bucket, e.Prefix, e.Distribution)), read.Environments.Select(e => (e.Name, string.Join(",", e.Refs), e.ProtectedOnly, e.Manual, e.Bucket, e.Prefix, e.Distribution)));
            Assert.True(KeylessSchema.IsValid(written), written);
        });
    }

    [Fact]
    public void Should_SpellOutTheRepositorysConfig_When_ItIsReadAndWritten()
    {
        var config = KeylessConfigParser.Parse("keyless.json", File.ReadAllText(Path.Combine(Repository.Root, "keyless.json")));

        var written = KeylessConfigWriter.Write(config);

        Assert.Contains("\"refs\": [\n        \"branch:main\"\n      ]", written, StringComparison.Ordinal);
        Assert.Contains("\"$schema\": \"./keyless.schema.json\"", written, StringComparison.Ordinal);
        Assert.Equal(written, KeylessConfigWriter.Write(KeylessConfigParser.Parse("keyless.json", written)));
    }
}
