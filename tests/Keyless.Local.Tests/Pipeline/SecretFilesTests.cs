using System.Text;
using Keyless.Testing;

namespace Keyless.Local.Tests.Pipeline;

/// <summary>The check the end-to-end tests run over a pipeline's files finds a secret wherever a file holds it.</summary>
public sealed class SecretFilesTests
{
    [Fact]
    public void Should_NameEveryFileAndSecret_When_TextOrBinaryFilesInSubfoldersHoldThem()
    {
        // Given: a job log holding a token, a binary holding a session token amid other bytes, and a clean file
        using var folder = new TempFolder();
        var secrets = new Dictionary<string, string> { ["the token"] = "eyJhbGciOi.token.part", ["a session token"] = SecretFiles.MotoSessionTokenPrefix };
        Directory.CreateDirectory(Path.Combine(folder.Path, ".gitlab-ci-local", "output"));
        folder.Write(Path.Combine(".gitlab-ci-local", "output", "deploy.log"), "$ keyless deploy\ntoken=eyJhbGciOi.token.part\n");
        File.WriteAllBytes(Path.Combine(folder.Path, "keyless"), [0, 1, 2, .. Encoding.UTF8.GetBytes(SecretFiles.MotoSessionTokenPrefix + "abc"), 255]);
        folder.Write("deploy.env", "KEYLESS_ENVIRONMENT_URL=https://example.test\n");

        // When
        var found = SecretFiles.Holding(folder.Path, secrets);

        // Then
        Assert.Equal([Path.Combine(".gitlab-ci-local", "output", "deploy.log") + ": the token", "keyless: a session token"], found.Order(StringComparer.Ordinal));
        File.Delete(Path.Combine(folder.Path, "keyless"));
        File.Delete(Path.Combine(folder.Path, ".gitlab-ci-local", "output", "deploy.log"));
        Assert.Empty(SecretFiles.Holding(folder.Path, secrets));
    }
}
